using Vigil.Web.Components.Shared;

namespace Vigil.Web.Tests.Components;

/// <summary>How costs read: small ones keep their significant digits, a project's totals read as money.</summary>
public sealed class FormatTests
{
    [Theory]
    [InlineData(null, "–")]
    [InlineData(0.0, "$0")]
    [InlineData(0.000182, "$0.000182")]
    [InlineData(0.0019034, "$0.00190")]
    // Seen in the trace list at 10M spans: "$0.00188" above "$0.0023" above "$0.002112".
    [InlineData(0.0023, "$0.00230")]
    [InlineData(0.002112, "$0.00211")]
    // Rounded before the digits are chosen: up a decade, or up to a cent.
    [InlineData(0.0009996, "$0.00100")]
    [InlineData(0.0099996, "$0.01")]
    [InlineData(1.5e-9, "$0.0000000015")]
    [InlineData(3e-11, "<$0.0000000001")]
    [InlineData(0.5, "$0.50")]
    [InlineData(3.14159, "$3.1416")]
    [InlineData(99.5, "$99.50")]
    // Found on the overview at 10M spans: "$2164.9944".
    [InlineData(2164.9944, "$2,164.99")]
    [InlineData(1234567.891, "$1,234,567.89")]
    public void Cost_reads_as_money(double? usd, string expected) => Assert.Equal(expected, Format.Cost(usd));
}
