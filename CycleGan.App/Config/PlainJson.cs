using System.Text.Encodings.Web;

namespace CycleGan.App.Config;

/// <summary>
/// How the application writes JSON for people to read (configs, reports, histories, checkpoint state): UTF-8 text as
/// it is, "A->B" rather than System.Text.Json's default "A-\u003EB". The default escapes HTML-sensitive and non-ASCII
/// characters for embedding in web pages, which none of these files is.
/// </summary>
public static class PlainJson
{
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
}
