namespace RunsFleet.Tests.Infrastructure;

public class MarkdownTableTests
{
    private const string Sample = """
        ## A

        text

        ```sh
        # not a heading
        | not | a table |
        ```

        | Name | Value |
        |---|:---:|
        | `one` | 1 |
        | two | `2`, `3` |

        after
        | stray | row |

        ## B

        | X |
        |---|
        | y |
        """;

    [Fact]
    public void Reads_the_first_table_under_a_heading_skipping_fenced_code()
    {
        var rows = MarkdownTable.After(Sample, "## A");

        Assert.Equal(2, rows.Count);
        Assert.Equal(("`one`", "1"), (rows[0]["Name"], rows[0]["Value"]));
        Assert.Equal(("two", "`2`, `3`"), (rows[1]["Name"], rows[1]["Value"]));
        Assert.Equal("y", Assert.Single(MarkdownTable.After(Sample, "## B"))["X"]);
    }

    [Fact]
    public void A_heading_without_a_table_before_the_next_heading_is_an_error()
    {
        const string document = "## A\n\ntext\n\n## B\n\n| X |\n|---|\n| y |\n";

        Assert.Throws<InvalidOperationException>(() => MarkdownTable.After(document, "## A"));
        Assert.Throws<InvalidOperationException>(() => MarkdownTable.After(document, "## C"));
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_cells_is_an_error()
    {
        const string document = "## A\n| X | Y |\n|---|---|\n| 1 |\n";

        Assert.Throws<InvalidOperationException>(() => MarkdownTable.After(document, "## A"));
    }

    [Theory]
    [InlineData("`launched`", "launched")]
    [InlineData("`a`, `b`", "a")]
    [InlineData("plain", "plain")]
    [InlineData("`unclosed", "`unclosed")]
    public void Code_is_the_first_backticked_text(string cell, string expected) =>
        Assert.Equal(expected, MarkdownTable.Code(cell));
}
