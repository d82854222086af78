// --lsp: a language server (JSON-RPC 2.0 over stdio, LSP 3.17's base
// protocol) for editors that run clangd, which cannot load clang-tidy
// plugins: run next to clangd, it publishes the findings of a C file when it
// is opened or saved (textDocument/publishDiagnostics) and offers each fix as
// a quickfix code action (a WorkspaceEdit). Each file is compiled as the tree
// run compiles it: its compile_commands.json entry (-p or found upwards, as
// clangd does), else the kernel tree's kbuild flags. An opened buffer is
// analysed as the editor sent it; a saved one from disk.
#include "matchers/text/NoLint.h"
#include "tool/FileIO.h"
#include "tool/Inputs.h"
#include "tool/Modes.h"
#include "tool/Runner.h"
#include "tool/TreeRun.h"

#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <iostream>
#include <map>
#include <string>

namespace vmalloc_lint {

namespace json = llvm::json;

namespace {

/// One message of the base protocol from stdin ("" at the end of input).
bool readMessage(std::string &Body) {
  size_t Length = 0;
  bool HaveLength = false;
  std::string Line;
  while (std::getline(std::cin, Line)) {
    if (!Line.empty() && Line.back() == '\r')
      Line.pop_back();
    if (Line.empty()) {
      if (!HaveLength)
        continue;
      Body.assign(Length, '\0');
      std::cin.read(Body.data(), std::streamsize(Length));
      return std::cin.gcount() == std::streamsize(Length);
    }
    llvm::StringRef L(Line);
    if (L.consume_front_insensitive("Content-Length:"))
      HaveLength = !L.trim().getAsInteger(10, Length);
  }
  return false;
}

void send(const json::Value &V) {
  std::string Body;
  llvm::raw_string_ostream OS(Body);
  OS << V;
  OS.flush();
  llvm::outs() << "Content-Length: " << Body.size() << "\r\n\r\n" << Body;
  llvm::outs().flush();
}

std::string pathOfUri(llvm::StringRef Uri) {
  if (!Uri.consume_front("file://"))
    return "";
  std::string Out;
  for (size_t I = 0; I < Uri.size(); ++I) {
    unsigned V = 0;
    if (Uri[I] == '%' && I + 2 < Uri.size() &&
        !Uri.substr(I + 1, 2).getAsInteger(16, V)) {
      Out += char(V);
      I += 2;
    } else {
      Out += Uri[I];
    }
  }
  return Out;
}

/// LSP position (0-based line, character) of byte Offset of Text.
json::Object position(llvm::StringRef Text, size_t Offset) {
  Offset = std::min(Offset, Text.size());
  llvm::StringRef Before = Text.take_front(Offset);
  size_t LineStart = Before.rfind('\n');
  LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
  return json::Object{{"line", int64_t(Before.count('\n'))},
                      {"character", int64_t(Offset - LineStart)}};
}

class Server {
public:
  explicit Server(const CliOptions &O) : O(O) { prepareRun(O, S); }

  int run() {
    std::string Body;
    while (readMessage(Body)) {
      llvm::Expected<json::Value> V = json::parse(Body);
      if (!V) {
        llvm::consumeError(V.takeError());
        continue;
      }
      const json::Object *M = V->getAsObject();
      if (!M)
        continue;
      std::string Method = M->getString("method").value_or("").str();
      const json::Value *Id = M->get("id");
      const json::Object *P = M->getObject("params");
      if (Method == "exit")
        return ShutDown ? 0 : 1;
      if (Method == "initialize")
        reply(Id, initializeResult());
      else if (Method == "shutdown") {
        ShutDown = true;
        reply(Id, nullptr);
      } else if (Method == "textDocument/didOpen" && P)
        didOpen(*P);
      else if (Method == "textDocument/didChange" && P)
        didChange(*P);
      else if (Method == "textDocument/didSave" && P)
        didSave(*P);
      else if (Method == "textDocument/didClose" && P)
        didClose(*P);
      else if (Method == "textDocument/codeAction" && P)
        reply(Id, codeActions(*P));
      else if (Id)
        send(json::Object{
            {"jsonrpc", "2.0"},
            {"id", *Id},
            {"error",
             json::Object{{"code", -32601},
                          {"message", "method not found: " + Method}}}});
    }
    return 0;
  }

private:
  void reply(const json::Value *Id, json::Value Result) {
    if (Id)
      send(json::Object{
          {"jsonrpc", "2.0"}, {"id", *Id}, {"result", std::move(Result)}});
  }

  json::Value initializeResult() {
    return json::Object{
        {"capabilities",
         json::Object{
             {"textDocumentSync",
              json::Object{{"openClose", true},
                           {"change", 1},
                           {"save", json::Object{{"includeText", false}}}}},
             {"codeActionProvider",
              json::Object{{"codeActionKinds", json::Array{"quickfix"}}}}}},
        {"serverInfo",
         json::Object{{"name", "vmalloc-lint"}, {"version", "0.1"}}}};
  }

  static std::string uriOf(const json::Object &P) {
    const json::Object *D = P.getObject("textDocument");
    return D ? D->getString("uri").value_or("").str() : "";
  }

  void didOpen(const json::Object &P) {
    std::string Uri = uriOf(P);
    const json::Object *D = P.getObject("textDocument");
    std::string Path = realAbsolutePath(pathOfUri(Uri));
    if (Path.empty() || !D)
      return;
    Overlay[Path] = D->getString("text").value_or("").str();
    analyse(Uri, Path);
  }

  void didChange(const json::Object &P) {
    std::string Path = realAbsolutePath(pathOfUri(uriOf(P)));
    const json::Array *Changes = P.getArray("contentChanges");
    if (Path.empty() || !Changes || Changes->empty())
      return;
    // Full sync ("change": 1): the last change is the whole text. The
    // findings are refreshed on save.
    if (const json::Object *C = Changes->back().getAsObject())
      if (std::optional<llvm::StringRef> T = C->getString("text"))
        Overlay[Path] = T->str();
  }

  void didSave(const json::Object &P) {
    std::string Uri = uriOf(P);
    std::string Path = realAbsolutePath(pathOfUri(Uri));
    if (Path.empty())
      return;
    Overlay.erase(Path); // as saved: the disk
    analyse(Uri, Path);
  }

  void didClose(const json::Object &P) {
    std::string Uri = uriOf(P);
    Overlay.erase(realAbsolutePath(pathOfUri(Uri)));
    Findings.erase(Uri);
    publish(Uri, json::Array());
  }

  std::string textOf(const std::string &Path) {
    auto It = Overlay.find(Path);
    if (It != Overlay.end())
      return It->second;
    llvm::ErrorOr<std::string> T = readWholeFile(Path);
    return T ? *T : std::string();
  }

  /// The file's findings, as the tree run makes them, published.
  void analyse(const std::string &Uri, const std::string &Path) {
    AnalysisOptions Shared;
    Shared.Checks = O.Checks;
    Shared.Imported = S.Imported;
    JobMaker Make(S.Tree, S.Dbs, Shared, false, O.ForcedVersion);
    std::vector<FileJob> Jobs{Make.make(Path)};
    RunOptions Run;
    Run.Threads = 1;
    Run.Overlay = &Overlay;
    Run.TreeRoot = Make.treeRoot();
    llvm::CrashRecoveryContext::Enable();
    RunReport R = runJobs(Jobs, Run);
    NoLintFilter(noLintTextFromDisk(&Overlay)).apply(R.Result.Findings);
    std::string Text = textOf(Path);
    json::Array Diags;
    std::vector<Finding> Mine;
    for (Finding &F : R.Result.Findings) {
      // In this file: where it is, else where the macro holding it is used.
      const SourcePoint *At = F.Where.File == Path ? &F.Where : nullptr;
      for (const SourcePoint &E : F.Expansions)
        if (!At && E.File == Path)
          At = &E;
      if (!At)
        continue;
      size_t End = At->Offset;
      while (End < Text.size() &&
             (isalnum((unsigned char)Text[End]) || Text[End] == '_'))
        ++End;
      if (End == At->Offset)
        ++End;
      std::string Message = F.Message;
      if (F.Fix)
        Message += " (fix: " + F.Fix->Description + ")";
      Diags.push_back(json::Object{
          {"range", json::Object{{"start", position(Text, At->Offset)},
                                 {"end", position(Text, End)}}},
          {"severity", 2},
          {"source", "vmalloc-lint"},
          {"code", F.Check},
          {"message", Message}});
      Mine.push_back(F);
    }
    Findings[Uri] = std::move(Mine);
    publish(Uri, std::move(Diags));
  }

  void publish(const std::string &Uri, json::Array Diags) {
    send(json::Object{
        {"jsonrpc", "2.0"},
        {"method", "textDocument/publishDiagnostics"},
        {"params",
         json::Object{{"uri", Uri}, {"diagnostics", std::move(Diags)}}}});
  }

  /// A quickfix per fix of a finding on the requested lines.
  json::Value codeActions(const json::Object &P) {
    std::string Uri = uriOf(P);
    std::string Path = realAbsolutePath(pathOfUri(Uri));
    int64_t First = 0, Last = INT64_MAX;
    if (const json::Object *R = P.getObject("range")) {
      if (const json::Object *S = R->getObject("start"))
        First = S->getInteger("line").value_or(0);
      if (const json::Object *E = R->getObject("end"))
        Last = E->getInteger("line").value_or(INT64_MAX);
    }
    json::Array Out;
    auto It = Findings.find(Uri);
    if (It == Findings.end())
      return Out;
    for (const Finding &F : It->second) {
      if (!F.Fix)
        continue;
      bool OnLines = false;
      for (const SourcePoint *Pt : {&F.Where})
        OnLines |= Pt->File == Path && int64_t(Pt->Line) - 1 >= First &&
                   int64_t(Pt->Line) - 1 <= Last;
      for (const SourcePoint &E : F.Expansions)
        OnLines |= E.File == Path && int64_t(E.Line) - 1 >= First &&
                   int64_t(E.Line) - 1 <= Last;
      if (!OnLines)
        continue;
      std::map<std::string, json::Array> Changes;
      for (const TextEdit &E : F.Fix->Edits) {
        std::string T = textOf(E.File);
        Changes["file://" + E.File].push_back(json::Object{
            {"range", json::Object{{"start", position(T, E.Offset)},
                                   {"end", position(T, E.Offset + E.Length)}}},
            {"newText", E.Text}});
      }
      json::Object ChangesObj;
      for (auto &[U, Edits] : Changes)
        ChangesObj[U] = std::move(Edits);
      Out.push_back(json::Object{
          {"title",
           "vmalloc-lint: " + F.Fix->Description + " [" + F.Check + "]"},
          {"kind", "quickfix"},
          {"edit", json::Object{{"changes", std::move(ChangesObj)}}}});
    }
    return Out;
  }

  const CliOptions &O;
  RunSetup S;
  std::map<std::string, std::string> Overlay;
  std::map<std::string, std::vector<Finding>> Findings; ///< by URI
  bool ShutDown = false;
};

} // namespace

int runLspMode(const CliOptions &O) { return Server(O).run(); }

} // namespace vmalloc_lint
