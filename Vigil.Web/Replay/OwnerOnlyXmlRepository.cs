using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Vigil.Core.Storage;

namespace Vigil.Web.Replay;

/// <summary>
/// The file-system key repository, with every key file made owner-only (0600) as it is written, and existing ones on
/// start: the key ring decrypts the provider keys stored in the database.
/// </summary>
internal sealed class OwnerOnlyXmlRepository : IXmlRepository
{
    private readonly IXmlRepository _inner;
    private readonly string _folder;

    public OwnerOnlyXmlRepository(IXmlRepository inner, string folder)
    {
        _inner = inner;
        _folder = folder;
        TightenAll();
    }

    public IReadOnlyCollection<XElement> GetAllElements() => _inner.GetAllElements();

    public void StoreElement(XElement element, string friendlyName)
    {
        _inner.StoreElement(element, friendlyName);
        TightenAll();
    }

    private void TightenAll()
    {
        if (!Directory.Exists(_folder)) return;
        foreach (var file in Directory.EnumerateFiles(_folder, "*.xml")) OwnerOnly.Tighten(file, OwnerOnly.File);
    }
}
