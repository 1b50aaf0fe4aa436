using RunsFleet.Cli.Common;

namespace RunsFleet.Tests.Cli.Common;

public class ErrorLineTests
{
    [Theory]
    [InlineData( // captured: nothing listens on the port
        "Connection failed: Server connection error: tonic::transport::Error(Transport, ConnectError(ConnectError(\"tcp connect error\", 127.0.0.1:7233, Os { code: 111, kind: ConnectionRefused, message: \"Connection refused\" })))",
        "Connection failed: Server connection error: tcp connect error: Connection refused")]
    [InlineData( // captured: the host name does not resolve
        "Connection failed: Server connection error: tonic::transport::Error(Transport, ConnectError(ConnectError(\"dns error\", Custom { kind: Uncategorized, error: \"failed to lookup address information: Name or service not known\" })))",
        "Connection failed: Server connection error: dns error: failed to lookup address information: Name or service not known")]
    [InlineData( // captured: something else listens and closes the connection
        "Connection failed: `get_system_info` call error after connection: Status { code: Unknown, message: \"transport error\", source: Some(tonic::transport::Error(Transport, hyper::Error(Io, Kind(ConnectionReset)))) }",
        "Connection failed: `get_system_info` call error after connection: transport error")]
    [InlineData( // captured: an HTTP/1 server
        "Connection failed: `get_system_info` call error after connection: Status { code: Unknown, message: \"h2 protocol error: http2 error\", source: Some(tonic::transport::Error(Transport, hyper::Error(Http2, Error { kind: GoAway(b\"\", FRAME_SIZE_ERROR, Library) }))) }",
        "Connection failed: `get_system_info` call error after connection: h2 protocol error: http2 error")]
    [InlineData( // captured: TEMPORAL_TLS against a plain HTTP server
        "Connection failed: Server connection error: tonic::transport::Error(Transport, ConnectError(Custom { kind: InvalidData, error: InvalidMessage(InvalidContentType) }))",
        "Connection failed: Server connection error: InvalidMessage(InvalidContentType)")]
    [InlineData( // captured: a server that accepts and never answers
        "Connection failed: `get_system_info` call error after connection: Status { code: Cancelled, message: \"Timeout expired\", source: Some(tonic::transport::Error(Transport, TimeoutExpired(()))) }",
        "Connection failed: `get_system_info` call error after connection: Timeout expired")]
    [InlineData("Namespace prod is not found.\nreally", "Namespace prod is not found. really")]
    [InlineData( // captured: TEMPORAL_CONFIG_FILE that is not TOML
        "TOML parse error at line 1, column 3\n  |\n1 | vm\n  |   ^\nkey with no value, expected `=`\n",
        "TOML parse error at line 1, column 3 | 1 | vm |   ^ key with no value, expected `=`")]
    public void A_temporal_transport_dump_reads_as_its_words_on_one_line(string message, string expected)
    {
        Assert.Equal(expected, ErrorLine.Of(message));
    }
}
