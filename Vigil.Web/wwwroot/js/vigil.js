// The dashboard's only script: copy text to the clipboard. Returns true when it worked.
window.vigil = {
    copy: async function (text) {
        try {
            await navigator.clipboard.writeText(text);
            return true;
        } catch {
            // navigator.clipboard exists only in secure contexts (https, localhost): fall back to a hidden textarea.
            const area = document.createElement("textarea");
            area.value = text;
            area.style.position = "fixed";
            area.style.opacity = "0";
            document.body.appendChild(area);
            area.select();
            const ok = document.execCommand("copy");
            area.remove();
            return ok;
        }
    }
};
