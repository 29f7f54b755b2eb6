namespace Vigil.Web.Charts;

/// <summary>
/// Which palette a chart's text, axes and grid use. The background is always transparent so the page shows through;
/// <see cref="Neutral"/> is a mid grey that reads on both light and dark pages (used when the page does not know the theme).
/// </summary>
public enum ChartTheme
{
    Neutral,
    Light,
    Dark,
}
