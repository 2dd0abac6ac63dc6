// Tests of `talentsim report`: the CSV reader, text escaping, and end to end through the
// real binary (TALENTSIM_BINARY) on hand-written fixtures (tests/report/fixtures/run: a
// run folder with the columns and files newer runs add; fixtures/check: a check result)
// and on a real run.
//
// The HTML and every SVG in it are checked for well-formedness with libxml2 (Debian
// libxml2-dev) rather than with xmllint: parsing in the test process gives the error's
// line and column directly, and the parsed tree lets a test find each chart by its title
// (XPath) and count the plots gnuplot drew in it, where xmllint would need a child
// process and shell quoting for every query.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "talentsim/report/charts.hpp"
#include "talentsim/report/csv.hpp"
#include "talentsim/report/report.hpp"

namespace {

namespace fs = std::filesystem;
using namespace talentsim::report;

const std::string kBinary = TALENTSIM_BINARY;
const fs::path kFixtures = fs::path(TALENTSIM_SOURCE_DIR) / "tests" / "report" / "fixtures";

// The fixture's groups as the report's legends name them (cut to 30 characters).
const std::string kOddName = "A&B \"Labs\" <x> 'q' ^_{}@~ \\ \xC3\xA9 ]]>";
const std::string kOddLegend = "A&B \"Labs\" <x> 'q' ^_{}@~ \\ \xC3\xA9\xE2\x80\xA6";
const std::vector<std::string> kFixtureLegends{"Meta (FAIR & GenAI)", kOddLegend, "Universities",
                                               "startups"};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void spit(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

struct Result {
  int exit_code = -1;
  std::string out, err;
};

std::ostream& operator<<(std::ostream& os, const Result& r) {
  return os << "exit " << r.exit_code << "\n--- stdout ---\n"
            << r.out << "--- stderr ---\n"
            << r.err << "--------------\n";
}

// Runs the binary with `args`; `env` entries ("NAME=value") replace the inherited ones.
Result run_talentsim(const std::vector<std::string>& args, const fs::path& io_dir,
                     const std::vector<std::string>& env = {}) {
  const fs::path out_path = io_dir / "stdout.txt", err_path = io_dir / "stderr.txt";
  std::vector<std::string> argv_strings{kBinary};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    if (std::none_of(env.begin(), env.end(),
                     [&](const std::string& x) { return x.substr(0, x.find('=')) == name; }))
      env_strings.push_back(entry);
  }
  env_strings.insert(env_strings.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const auto redirect = [](const fs::path& p, int fd) {
      const int f = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (f < 0 || ::dup2(f, fd) < 0) ::_exit(126);
      ::close(f);
    };
    redirect(out_path, 1);
    redirect(err_path, 2);
    ::execve(kBinary.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  Result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out_path);
  r.err = slurp(err_path);
  return r;
}

// A fresh folder per test, removed afterwards.
class ReportTest : public testing::Test {
 protected:
  void SetUp() override {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("talentsim-report-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }
  // A copy of a fixture folder (or file) under the test's folder.
  fs::path copy_fixture(const std::string& name) {
    const fs::path to = dir_ / name;
    fs::copy(kFixtures / name, to, fs::copy_options::recursive);
    return to;
  }
  Result report(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    std::vector<std::string> all{"report"};
    all.insert(all.end(), args.begin(), args.end());
    return run_talentsim(all, dir_, env);
  }
  fs::path dir_;
};

// ---------------------------------------------------------------------------
// XML checks
// ---------------------------------------------------------------------------

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;

// Parses text as XML; on failure, the message names the line and column.
Doc parse_xml(const std::string& text, const std::string& name, std::string& error) {
  xmlResetLastError();
  Doc doc(xmlReadMemory(text.data(), static_cast<int>(text.size()), name.c_str(), "UTF-8",
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (!doc) {
    const xmlError* e = xmlGetLastError();
    error = name + ":" + std::to_string(e != nullptr ? e->line : 0) + ":" +
            std::to_string(e != nullptr ? e->int2 : 0) + ": " +
            (e != nullptr && e->message != nullptr ? e->message : "parse error");
  }
  return doc;
}

// Each <svg>...</svg> of the page, as text.
std::vector<std::string> svgs_of(const std::string& html) {
  std::vector<std::string> out;
  for (std::size_t p = 0; (p = html.find("<svg", p)) != std::string::npos;) {
    const std::size_t end = html.find("</svg>", p);
    if (end == std::string::npos) break;
    out.push_back(html.substr(p, end + 6 - p));
    p = end + 6;
  }
  return out;
}

std::string content(xmlNode* node) {
  xmlChar* c = xmlNodeGetContent(node);
  std::string s = c != nullptr ? reinterpret_cast<const char*>(c) : "";
  xmlFree(c);
  return s;
}

// The nodes an XPath expression selects under `context` (the document when null).
std::vector<xmlNode*> select(xmlDoc* doc, const std::string& xpath, xmlNode* context = nullptr) {
  std::unique_ptr<xmlXPathContext, decltype(&xmlXPathFreeContext)> ctx(xmlXPathNewContext(doc),
                                                                       xmlXPathFreeContext);
  if (context != nullptr) ctx->node = context;
  std::unique_ptr<xmlXPathObject, decltype(&xmlXPathFreeObject)> result(
      xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(xpath.c_str()), ctx.get()),
      xmlXPathFreeObject);
  std::vector<xmlNode*> nodes;
  if (result && result->nodesetval != nullptr)
    for (int i = 0; i < result->nodesetval->nodeNr; ++i)
      nodes.push_back(result->nodesetval->nodeTab[i]);
  return nodes;
}

// A parsed report page and its charts by title.
struct Page {
  std::string html;
  Doc doc;

  // The SVG of the figure titled `title` in section `section` (null when there is none).
  [[nodiscard]] xmlNode* chart(const std::string& section, const std::string& title) const {
    const auto nodes = select(doc.get(), "//section[@id='" + section + "']//figure[h3=\"" + title +
                                             "\"]/*[local-name()='svg']");
    return nodes.size() == 1 ? nodes[0] : nullptr;
  }
  // How many plots gnuplot drew in a chart (one <g id="...gnuplot_plot_N"> each).
  [[nodiscard]] std::size_t plots(xmlNode* svg) const {
    return select(doc.get(), ".//*[local-name()='g'][contains(@id, 'gnuplot_plot_')]", svg).size();
  }
  [[nodiscard]] std::vector<std::string> figure_titles() const {
    std::vector<std::string> titles;
    for (xmlNode* n : select(doc.get(), "//figure/h3")) titles.push_back(content(n));
    return titles;
  }
  [[nodiscard]] std::vector<std::string> notes() const {
    std::vector<std::string> out;
    for (xmlNode* n : select(doc.get(), "//p[@class='note']")) out.push_back(content(n));
    return out;
  }
};

// Reads a report and checks what every report must be: well-formed XML (the page and
// each SVG alone), and nothing that reaches outside the file.
Page load_page(const fs::path& path) {
  Page page;
  page.html = slurp(path);
  std::string error;
  page.doc = parse_xml(page.html, path.filename().string(), error);
  EXPECT_TRUE(page.doc) << error;
  const std::vector<std::string> svgs = svgs_of(page.html);
  for (std::size_t i = 0; i < svgs.size(); ++i) {
    std::string svg_error;
    EXPECT_TRUE(parse_xml(svgs[i], "svg " + std::to_string(i + 1), svg_error)) << svg_error;
    EXPECT_EQ(svgs[i].find("<?xml"), std::string::npos);
    EXPECT_EQ(svgs[i].find("<!DOCTYPE"), std::string::npos);
  }
  // No network: the only URIs are the SVG and XLink namespace names.
  std::string rest = std::regex_replace(
      page.html, std::regex("xmlns(:xlink)?=\"http://www\\.w3\\.org/(2000/svg|1999/xlink)\""), "");
  EXPECT_EQ(rest.find("http://"), std::string::npos);
  EXPECT_EQ(rest.find("https://"), std::string::npos);
  EXPECT_EQ(rest.find("//www."), std::string::npos);
  for (const char* banned : {"<script", "<link", "<iframe", "<img", "@import", " src=", "url(http"})
    EXPECT_EQ(page.html.find(banned), std::string::npos) << banned;
  // Ids are unique across the page (each chart's are prefixed).
  std::map<std::string, int> ids;
  for (xmlNode* n : select(page.doc.get(), "//*[@id]")) {
    xmlChar* id = xmlGetProp(n, reinterpret_cast<const xmlChar*>("id"));
    ++ids[reinterpret_cast<const char*>(id)];
    xmlFree(id);
  }
  for (const auto& [id, count] : ids) EXPECT_EQ(count, 1) << "duplicate id " << id;
  return page;
}

bool has_temporary_files(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp-") != std::string::npos) return true;
  return false;
}

// ---------------------------------------------------------------------------
// Library pieces
// ---------------------------------------------------------------------------

TEST(ReportCsv, ReadsColumnsByNameWhateverTheirOrder) {
  const CsvTable t = CsvTable::parse("b,a,\"c,d\"\n2,1,\"x, \"\"y\"\"\"\n\n4,3,\n", "t.csv");
  ASSERT_EQ(t.rows(), 2U);
  EXPECT_EQ(t.number(0, "a"), 1.0);
  EXPECT_EQ(t.number(1, "b"), 4.0);
  EXPECT_EQ(t.text(0, "c,d"), "x, \"y\"");
  EXPECT_EQ(t.line(1), 4);
  EXPECT_TRUE(t.has("a"));
  EXPECT_FALSE(t.has("leader_headcount"));
  EXPECT_FALSE(t.optional_number(0, "leader_headcount"));
  EXPECT_FALSE(t.optional_number(1, "c,d"));
}

TEST(ReportCsv, BadInputNamesTheFileLineAndColumn) {
  const auto message = [](const std::string& text,
                          const std::function<void(const CsvTable&)>& use) {
    try {
      use(CsvTable::parse(text, "x.csv"));
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const auto nothing = [](const CsvTable&) {};
  EXPECT_EQ(message("a,b\n1,2\n3\n", nothing),
            "x.csv:3: expected 2 fields as in the header, found 1");
  EXPECT_EQ(message("a,b\n1,2\n\"3,4\n", nothing), "x.csv:3: unterminated quoted field");
  EXPECT_EQ(message("", nothing), "x.csv: empty file (no header)");
  EXPECT_EQ(message("a,a\n", nothing), "x.csv:1: column 'a' appears twice in the header");
  EXPECT_EQ(message("a,b\n1,zz\n", [](const CsvTable& t) { (void)t.number(0, "b"); }),
            "x.csv:2: column 'b': 'zz' is not a finite number");
  EXPECT_EQ(message("a,b\n1,\n", [](const CsvTable& t) { (void)t.number(0, "b"); }),
            "x.csv:2: column 'b': empty, expected a number");
  EXPECT_EQ(message("a\n1\n",
                    [](const CsvTable& t) {
                      t.require({"a", "tick"});
                    }),
            "x.csv:1: missing column 'tick' in the header");
}

TEST(ReportText, EscapesHtmlAndQuotesGnuplotStrings) {
  EXPECT_EQ(escape_html("a&b <c> \"d\" 'e'"), "a&amp;b &lt;c&gt; &quot;d&quot; &#39;e&#39;");
  EXPECT_EQ(escape_html("x\xFFy\x01z"), "x\xEF\xBF\xBDyz");  // bad UTF-8, control character
  EXPECT_EQ(gnuplot_quote("it's"), "'it''s'");
  EXPECT_EQ(gnuplot_quote("a\nb\\c"), "'a b\\c'");  // one line; no escapes in '...'
  EXPECT_EQ(gnuplot_quote("x]]>y"), "'x]] >y'");
}

TEST(ReportSvg, InlineSvgDropsThePrologAndPrefixesIdsInTagsOnly) {
  const std::string svg =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg xmlns=\"http://www.w3.org/2000/svg\">"
      "<title>Gnuplot</title><defs><path id='gpPt1'/></defs>"
      "<g id=\"gnuplot_plot_1\" ><title>gnuplot_plot_1</title><use xlink:href='#gpPt1'/>"
      "<text> id='kept' url(#kept)</text></g></svg>";
  EXPECT_EQ(inline_svg(svg, "c7-"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><defs><path id='c7-gpPt1'/></defs>"
            "<g id=\"c7-gnuplot_plot_1\" ><use xlink:href='#c7-gpPt1'/>"
            "<text> id='kept' url(#kept)</text></g></svg>\n");
}

TEST(ReportSvg, GnuplotDrawsALineChartWithEverySeriesTitled) {
  LineChart chart;
  chart.x = linear_axis("Week");
  chart.y = log_axis("People");
  chart.series.push_back(line_series(kOddName, palette_colour(0), {0, 1, 2}, {10, 20, 30}));
  chart.series.push_back(line_series("second", palette_colour(1), {0, 1, 2}, {0, 5, 6}));
  chart.markers.push_back({1, "E1"});
  ChartRenderer renderer;
  const std::string svg = renderer.render(chart);
  std::string error;
  const Doc doc = parse_xml(svg, "chart.svg", error);
  ASSERT_TRUE(doc) << error << "\n" << gnuplot_script(chart);
  EXPECT_EQ(select(doc.get(), "//*[local-name()='g'][starts-with(@id, 'c1-gnuplot_plot_')]").size(),
            2U);
  const std::string text = content(xmlDocGetRootElement(doc.get()));
  // All of the name but "]]>", which gnuplot_quote breaks up.
  EXPECT_NE(text.find(kOddName.substr(0, kOddName.size() - 3)), std::string::npos) << text;
  EXPECT_NE(text.find("second"), std::string::npos);
  EXPECT_NE(text.find("E1"), std::string::npos);
}

// ---------------------------------------------------------------------------
// A run folder, end to end
// ---------------------------------------------------------------------------

// A chart of the fixture's report: the plots gnuplot should have drawn and the legend
// entries (or labels) it should show.
struct ExpectedChart {
  std::string section, title;
  std::size_t plots;
  std::vector<std::string> texts;
};

TEST_F(ReportTest, RunFixtureReportHasEveryChartWithItsSeries) {
  const fs::path run = copy_fixture("run");
  const Result r = report({run.string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.err, "");
  ASSERT_TRUE(fs::exists(run / "report.html"));
  EXPECT_FALSE(has_temporary_files(run));
  const Page page = load_page(run / "report.html");
  ASSERT_TRUE(page.doc);

  const std::vector<std::string> three{"Meta (FAIR & GenAI)", kOddLegend, "Universities"};
  const std::vector<ExpectedChart> charts{
      {"headcount", "Headcount per firm", 4, kFixtureLegends},
      {"talent", "Top talent", 4, kFixtureLegends},
      {"talent", "Published researchers", 4, kFixtureLegends},
      {"talent", "Leaders", 4, kFixtureLegends},
      {"pay", "Median pay per firm", 4, kFixtureLegends},
      {"attrition", "Attrition, 13-week rolling", 4, kFixtureLegends},
      // One plot per bar (each in its firm's colour), then the value labels.
      {"attrition", "Attrition over the run", 5, kFixtureLegends},
      // Three groups of bars and their labels; startups have no starting staff.
      {"attrition", "Starting staff kept to the end", 6, {"All", "Top talent", "Published"}},
      {"retention", "All researchers", 3, three},
      {"retention", "Top talent", 3, three},
      {"retention", "Published researchers", 3, three},
      {"retention", "Leaders", 3, three},
      // Cells, then white and dark value labels.
      {"flows",
       "Moves from each place to each other",
       3,
       {"between jobs", "independent", "startups"}},
      {"market", "Share between jobs", 1, {"E1,E2", "E3"}},
      {"market", "Top-talent concentration (HHI)", 1, {"E1,E2", "E3"}},
      {"offers", "Median offer per firm", 4, kFixtureLegends},
  };
  for (const ExpectedChart& c : charts) {
    SCOPED_TRACE(c.section + ": " + c.title);
    xmlNode* svg = page.chart(c.section, c.title);
    ASSERT_NE(svg, nullptr) << "no such chart";
    EXPECT_EQ(page.plots(svg), c.plots);
    const std::string text = content(svg);
    for (const std::string& t : c.texts) EXPECT_NE(text.find(t), std::string::npos) << t;
  }
  EXPECT_EQ(page.figure_titles().size(), charts.size());
  // Events are marked on the weekly charts and listed.
  EXPECT_NE(content(page.chart("headcount", "Headcount per firm")).find("E1,E2"),
            std::string::npos);
  const auto events = select(page.doc.get(), "//section[@id='events']//tbody/tr");
  EXPECT_EQ(events.size(), 3U);
  // The split of departures into quits and separations is shown; no chart is skipped.
  EXPECT_NE(page.html.find("Top talent (quit / separated)"), std::string::npos);
  EXPECT_TRUE(page.notes().empty()) << page.notes().front();
  // Where the run came from.
  const std::string body = content(xmlDocGetRootElement(page.doc.get()));
  for (const char* fact : {"fixture", "42", "0123456789abcdef"})
    EXPECT_NE(body.find(fact), std::string::npos) << fact;
  // Odd characters in a firm's name come through escaped and whole in the tables.
  EXPECT_NE(body.find(kOddName), std::string::npos);
  EXPECT_NE(page.html.find("A&amp;B &quot;Labs&quot; &lt;x&gt; &#39;q&#39;"), std::string::npos);
}

TEST_F(ReportTest, SameInputGivesTheSameBytesWhateverTheColumnOrder) {
  const fs::path run = copy_fixture("run");
  ASSERT_EQ(report({run.string(), "-o", (dir_ / "a.html").string()}).exit_code, 0);
  ASSERT_EQ(report({run.string(), "-o", (dir_ / "b.html").string()}).exit_code, 0);
  const std::string a = slurp(dir_ / "a.html");
  EXPECT_EQ(a, slurp(dir_ / "b.html"));
  // Columns are read by name: reversing every CSV's columns changes nothing.
  for (const char* name :
       {"timeseries.csv", "market.csv", "flows.csv", "cohorts.csv", "offers.csv"}) {
    std::istringstream in(slurp(run / name));
    std::string out, line;
    while (std::getline(in, line)) {
      std::vector<std::string> fields;
      std::stringstream fs_line(line);
      for (std::string f; std::getline(fs_line, f, ',');) fields.push_back(f);
      if (!line.empty() && line.back() == ',') fields.emplace_back();
      std::reverse(fields.begin(), fields.end());
      for (std::size_t i = 0; i < fields.size(); ++i) out += (i > 0 ? "," : "") + fields[i];
      out += "\n";
    }
    spit(run / name, out);
  }
  ASSERT_EQ(report({run.string(), "-o", (dir_ / "c.html").string()}).exit_code, 0);
  EXPECT_EQ(a, slurp(dir_ / "c.html"));
}

TEST_F(ReportTest, RealRunHasEveryChartAndWithoutTheNewerFilesSkipsThoseWithANote) {
  const std::string scenario =
      "name: tiny\nseed: 3\nticks: 6\npopulation: {researchers: 1500}\n"
      "firms:\n  - {id: alpha, headcount_share: 0.6, pay: {median: 400000}}\n"
      "  - {id: beta, headcount_share: 0.4, pay: {median: 300000}}\n"
      "events:\n  - {type: pay_change, week: 3, firm: beta, change: 0.1}\n";
  spit(dir_ / "tiny.yaml", scenario);
  const fs::path run = dir_ / "run";
  const Result made =
      run_talentsim({"run", (dir_ / "tiny.yaml").string(), "--out", run.string(), "--quiet"}, dir_);
  ASSERT_EQ(made.exit_code, 0) << made;
  {
    // Today's run: every chart is there, leaders, retention and offers included.
    const Result r = report({run.string()});
    ASSERT_EQ(r.exit_code, 0) << r;
    const Page page = load_page(run / "report.html");
    ASSERT_TRUE(page.doc);
    for (const auto& [section, title] : std::vector<std::pair<std::string, std::string>>{
             {"headcount", "Headcount per firm"},
             {"talent", "Top talent"},
             {"talent", "Leaders"},
             {"pay", "Median pay per firm"},
             {"flows", "Moves from each place to each other"}}) {
      xmlNode* svg = page.chart(section, title);
      ASSERT_NE(svg, nullptr) << title;
      EXPECT_NE(content(svg).find("alpha"), std::string::npos) << title;
    }
    EXPECT_NE(page.chart("market", "Share between jobs"), nullptr);
    EXPECT_GE(page.plots(page.chart("headcount", "Headcount per firm")), 2U);
    EXPECT_GT(select(page.doc.get(), "//section[@id='retention']//figure").size(), 0U);
    EXPECT_GT(select(page.doc.get(), "//section[@id='offers']//figure").size(), 0U);
    std::string notes;
    for (const std::string& n : page.notes()) notes += n + "\n";
    for (const char* why : {"no leader_headcount column", "no cohorts.csv", "no offers.csv",
                            "not split into quits and separations"})
      EXPECT_EQ(notes.find(why), std::string::npos) << why << " in\n" << notes;
  }
  // An older run's folder, without cohorts.csv and offers.csv: those charts give way
  // to notes, the rest is drawn.
  fs::remove(run / "cohorts.csv");
  fs::remove(run / "offers.csv");
  const Result r = report({run.string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  const Page page = load_page(run / "report.html");
  ASSERT_TRUE(page.doc);
  EXPECT_NE(page.chart("headcount", "Headcount per firm"), nullptr);
  EXPECT_EQ(select(page.doc.get(), "//section[@id='retention']//figure").size(), 0U);
  EXPECT_EQ(select(page.doc.get(), "//section[@id='offers']//figure").size(), 0U);
  std::string notes;
  for (const std::string& n : page.notes()) notes += n + "\n";
  for (const char* why : {"no cohorts.csv", "no offers.csv"})
    EXPECT_NE(notes.find(why), std::string::npos) << why << " in\n" << notes;
}

// ---------------------------------------------------------------------------
// A check result
// ---------------------------------------------------------------------------

TEST_F(ReportTest, CheckReportDrawsEveryTargetAgainstItsInterval) {
  const fs::path check = copy_fixture("check") / "check.json";
  const Result r = report({check.string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  const fs::path html = check.parent_path() / "check.html";  // the default: beside the JSON
  ASSERT_TRUE(fs::exists(html));
  const Page page = load_page(html);
  ASSERT_TRUE(page.doc);
  xmlNode* svg = page.chart("targets", "Targets and simulated intervals");
  ASSERT_NE(svg, nullptr);
  // Band, replicates, target ticks, passes, misses.
  EXPECT_EQ(page.plots(svg), 5U);
  const std::string text = content(svg);
  for (const char* label : {"median_salary(meta, week=0)", "published_cohort_lost(meta, weeks=52)",
                            "top_talent_hhi(week=104)", "headcount(openai, week=104)",
                            "weeks_with_3_top_departures(tesla)", "pass: mean and 95% interval",
                            "miss: mean and 95% interval",
                            // Rows are drawn relative to their bands and labelled with real values.
                            "401,235 (399,000 \u2013 403,000) vs 380,000 \u2013 420,000",
                            "3,104 (3,050 \u2013 3,160) vs 3,000 [scale: target \u00b110%]"})
    EXPECT_NE(text.find(label), std::string::npos) << label;
  const auto rows = select(page.doc.get(), "//section[@id='targets']//tbody/tr");
  ASSERT_EQ(rows.size(), 6U);
  std::vector<std::string> results;
  for (xmlNode* row : rows) {
    const auto cells = select(page.doc.get(), "td", row);
    results.push_back(content(cells.back()));
  }
  EXPECT_EQ(results, (std::vector<std::string>{"pass", "miss", "pass", "miss", "pass", "pass"}));
  EXPECT_NE(page.html.find("&lt;model check&gt; &amp; &quot;quoted&quot;"), std::string::npos);
  const std::string body = content(xmlDocGetRootElement(page.doc.get()));
  EXPECT_NE(body.find("4 of 6"), std::string::npos);
}

// ---------------------------------------------------------------------------
// Bad input: exit 2, a message naming the file (and line), nothing written
// ---------------------------------------------------------------------------

struct BadInput {
  std::string name;
  std::function<std::vector<std::string>(const fs::path& run, const fs::path& check)> setup;
  std::vector<std::string> message;  ///< parts the error must contain
};

std::string replace_line(const std::string& text, int line, const std::string& with) {
  std::istringstream in(text);
  std::string out, l;
  for (int n = 1; std::getline(in, l); ++n) out += (n == line ? with : l) + "\n";
  return out;
}

TEST_F(ReportTest, BadInputExitsTwoNamingTheFileAndWritesNothing) {
  const std::vector<BadInput> cases{
      {"missing folder",
       [](const fs::path& run, const fs::path&) {
         return std::vector<std::string>{(run.parent_path() / "nope").string()};
       },
       {"nope: no such file or folder"}},
      {"missing timeseries.csv",
       [](const fs::path& run, const fs::path&) {
         fs::remove(run / "timeseries.csv");
         return std::vector<std::string>{run.string()};
       },
       {"timeseries.csv: no such file"}},
      {"short row",
       [](const fs::path& run, const fs::path&) {
         spit(run / "timeseries.csv", replace_line(slurp(run / "timeseries.csv"), 7, "1,meta,3"));
         return std::vector<std::string>{run.string()};
       },
       {"timeseries.csv:7: expected 29 fields as in the header, found 3"}},
      {"not a number",
       [](const fs::path& run, const fs::path&) {
         const std::string ts = slurp(run / "timeseries.csv");
         std::istringstream in(ts);
         std::string header, row;
         std::getline(in, header);
         std::getline(in, row);
         spit(run / "timeseries.csv",
              replace_line(ts, 2, row.replace(row.find(",1000,"), 6, ",lots,")));
         return std::vector<std::string>{run.string()};
       },
       {"timeseries.csv:2: column 'headcount': 'lots' is not a finite number"}},
      {"missing column",
       [](const fs::path& run, const fs::path&) {
         const std::string m = slurp(run / "market.csv");
         spit(run / "market.csv", std::regex_replace(m, std::regex("top_talent_hhi"), "hhi"));
         return std::vector<std::string>{run.string()};
       },
       {"market.csv:1: missing column 'top_talent_hhi'"}},
      {"malformed summary.json",
       [](const fs::path& run, const fs::path&) {
         spit(run / "summary.json", "{\n  \"scenario\": \"x\",\n  \"seed\": ,\n}\n");
         return std::vector<std::string>{run.string()};
       },
       {"summary.json: malformed JSON", "line 3"}},
      {"malformed scenario.yaml",
       [](const fs::path& run, const fs::path&) {
         spit(run / "scenario.yaml", "name: x\nevents:\n  - week: [\n");
         return std::vector<std::string>{run.string()};
       },
       {"scenario.yaml:", "malformed YAML"}},
      {"event without a week",
       [](const fs::path& run, const fs::path&) {
         spit(run / "scenario.yaml", "name: x\nevents:\n  - type: market\n    week: soon\n");
         return std::vector<std::string>{run.string()};
       },
       {"scenario.yaml:3: events[0]: 'week' is not an integer"}},
      {"bad cohorts.csv row",
       [](const fs::path& run, const fs::path&) {
         spit(run / "cohorts.csv",
              replace_line(slurp(run / "cohorts.csv"), 4, "meta,top,present,0,x,1,2,"));
         return std::vector<std::string>{run.string()};
       },
       {"cohorts.csv:4: column 'size': 'x' is not a finite number"}},
      {"check without targets",
       [](const fs::path&, const fs::path& check) {
         spit(check, "{\"scenario\": \"x\"}\n");
         return std::vector<std::string>{check.string()};
       },
       {"check.json: not a check result"}},
      {"malformed check",
       [](const fs::path&, const fs::path& check) {
         spit(check, "{\"targets\": [\n  {\"metric\": \"m\", \"mean\": 1,}\n]}\n");
         return std::vector<std::string>{check.string()};
       },
       {"check.json: malformed JSON", "line 2"}},
      {"target without a mean",
       [](const fs::path&, const fs::path& check) {
         spit(check, "{\"targets\": [{\"metric\": \"m\", \"mean\": \"high\"}]}\n");
         return std::vector<std::string>{check.string()};
       },
       {"check.json: targets[0].mean: expected a number"}},
      {"output folder missing",
       [](const fs::path& run, const fs::path&) {
         return std::vector<std::string>{run.string(), "-o", (run / "no" / "r.html").string()};
       },
       {"does not exist"}},
  };
  for (const BadInput& c : cases) {
    SCOPED_TRACE(c.name);
    const fs::path base = dir_ / ("case-" + std::to_string(&c - cases.data()));
    fs::create_directories(base);
    fs::copy(kFixtures / "run", base / "run", fs::copy_options::recursive);
    fs::copy(kFixtures / "check" / "check.json", base / "check.json");
    const Result r = report(c.setup(base / "run", base / "check.json"));
    EXPECT_EQ(r.exit_code, 2) << r;
    EXPECT_EQ(r.out, "");
    for (const std::string& part : c.message)
      EXPECT_NE(r.err.find(part), std::string::npos) << part << "\n" << r;
    EXPECT_FALSE(fs::exists(base / "run" / "report.html"));
    EXPECT_FALSE(fs::exists(base / "check.html"));
    EXPECT_FALSE(has_temporary_files(base / "run"));
    EXPECT_FALSE(has_temporary_files(base));
  }
}

TEST_F(ReportTest, WithoutGnuplotItExitsOneSayingWhatToInstall) {
  const fs::path run = copy_fixture("run");
  const Result r = report({run.string()}, {"PATH=" + (dir_ / "empty").string()});
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_NE(r.err.find("gnuplot-nox"), std::string::npos) << r;
  EXPECT_FALSE(fs::exists(run / "report.html"));
  EXPECT_FALSE(has_temporary_files(run));
}

TEST_F(ReportTest, AnExistingReportIsReplacedWhole) {
  const fs::path run = copy_fixture("run");
  spit(run / "report.html", "old");
  const Result r = report({run.string(), "--output", (run / "report.html").string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "talentsim: wrote " + (run / "report.html").string() + "\n");
  EXPECT_TRUE(slurp(run / "report.html").starts_with("<!DOCTYPE html>"));
}

}  // namespace
