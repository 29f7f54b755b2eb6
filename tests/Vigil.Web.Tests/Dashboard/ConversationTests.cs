using Vigil.Web.Components.Traces;

namespace Vigil.Web.Tests.Dashboard;

public class ConversationTests
{
    [Fact]
    public void Reads_openai_messages_tool_calls_tool_results_and_the_reply()
    {
        var input = """
            {"model":"gpt-4o","messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"sunny"}]}
            """;
        var output = """{"content":"Sunny.","model":"gpt-4o"}""";
        var chat = Conversation.From(input, output);

        Assert.Equal(["system", "user", "assistant", "tool"], chat.Input.Select(m => m.Role).ToArray());
        Assert.Equal("Weather in Paris?", Assert.IsType<TextPart>(chat.Input[1].Parts.Single()).Text);
        var call = Assert.IsType<ToolCallPart>(chat.Input[2].Parts.Single());
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("call_1", call.Id);
        Assert.Contains("\"city\": \"Paris\"", call.Arguments); // pretty-printed from the JSON string
        var result = Assert.IsType<ToolResultPart>(chat.Input[3].Parts.Single());
        Assert.Equal(("call_1", "sunny"), (result.ToolCallId, result.Content));
        Assert.Equal("Sunny.", Assert.IsType<TextPart>(Assert.Single(chat.Output).Parts.Single()).Text);
        Assert.Equal("assistant", chat.Output[0].Role);
    }

    [Fact]
    public void Reads_anthropic_system_tool_use_and_tool_result_blocks()
    {
        var input = """
            {"model":"claude-3-5-sonnet","system":"Summarize.","messages":[
              {"role":"user","content":"Doc"},
              {"role":"assistant","content":[{"type":"text","text":"Let me look."},{"type":"tool_use","id":"tu_1","name":"search","input":{"q":"doc"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"tu_1","content":[{"type":"text","text":"found"}],"is_error":true}]}]}
            """;
        var output = """{"content":[{"type":"text","text":"Done."},{"type":"tool_use","id":"tu_2","name":"save","input":{}}]}""";
        var chat = Conversation.From(input, output);

        Assert.Equal(["system", "user", "assistant", "user"], chat.Input.Select(m => m.Role).ToArray());
        Assert.Equal("Summarize.", Assert.IsType<TextPart>(chat.Input[0].Parts.Single()).Text);
        var use = Assert.IsType<ToolCallPart>(chat.Input[2].Parts[1]);
        Assert.Equal(("tu_1", "search"), (use.Id, use.Name));
        Assert.Contains("\"q\": \"doc\"", use.Arguments);
        var result = Assert.IsType<ToolResultPart>(chat.Input[3].Parts.Single());
        Assert.Equal(("tu_1", "found", true), (result.ToolCallId, result.Content, result.IsError));
        Assert.Equal(2, chat.Output[0].Parts.Count);
        Assert.Equal("save", Assert.IsType<ToolCallPart>(chat.Output[0].Parts[1]).Name);
    }

    [Fact]
    public void Reads_a_raw_openai_response_with_choices()
    {
        var output = """{"choices":[{"message":{"role":"assistant","content":"Hi!"}}]}""";
        var chat = Conversation.From(null, output);
        Assert.Equal("Hi!", Assert.IsType<TextPart>(Assert.Single(chat.Output).Parts.Single()).Text);
    }

    [Fact]
    public void Unknown_blocks_are_kept_as_json_and_non_chat_payloads_give_no_conversation()
    {
        var chat = Conversation.From("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""", null);
        Assert.Equal("image_url", Assert.IsType<OtherPart>(chat.Input[0].Parts.Single()).Type);

        Assert.True(Conversation.From("""{"path":"/tmp"}""", """{"ok":true}""").IsEmpty);
        Assert.True(Conversation.From("not json", "[1,2").IsEmpty);
    }
}
