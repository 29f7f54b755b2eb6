using Vigil.Core;
using Vigil.Web.Components;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddVigilCore(builder.Configuration);
builder.Services.AddRazorComponents().AddInteractiveServerComponents();

var app = builder.Build();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();
