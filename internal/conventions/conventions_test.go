// Package conventions holds tests of the house's code conventions (ARCHITECTURE.md), read from the
// source with go/ast: where tests are filed, what doc comments name, and that a resource's CRUD
// methods make one domain call instead of driving AWS step by step.
package conventions

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"
)

// parsedFile is one Go file of the module's internal packages.
type parsedFile struct {
	path string // relative to internal/, e.g. "provider/onboarded_user_resource.go"
	file *ast.File
}

func parseInternal(t *testing.T) (*token.FileSet, []parsedFile) {
	t.Helper()
	fset := token.NewFileSet()
	var files []parsedFile
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && p != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("..", p)
		files = append(files, parsedFile{path: filepath.ToSlash(rel), file: f})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 50 {
		t.Fatalf("found only %d Go files under internal/: wrong directory?", len(files))
	}
	return fset, files
}

func isTestFunc(fn *ast.FuncDecl) bool {
	return fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "Test") && fn.Name.Name != "TestMain" &&
		fn.Type.Params != nil && len(fn.Type.Params.List) == 1
}

// Acceptance tests (TestAcc*, they need the emulator) live in _acc_test.go files, and those files
// hold no other tests.
func TestTestsAreFiledByKind(t *testing.T) {
	_, files := parseInternal(t)
	var misfiled []string
	for _, f := range files {
		acc := strings.HasSuffix(f.path, "_acc_test.go")
		for _, d := range f.file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || !isTestFunc(fn) {
				continue
			}
			isAcc := isAccName(fn.Name.Name)
			switch {
			case isAcc && !acc:
				misfiled = append(misfiled, f.path+": "+fn.Name.Name+" is an acceptance test outside an _acc_test.go file")
			case !isAcc && acc:
				misfiled = append(misfiled, f.path+": "+fn.Name.Name+" is a unit test in an _acc_test.go file (name it TestAcc... or move it)")
			}
		}
	}
	report(t, misfiled)
}

// isAccName: TestAcc, TestAccX..., TestAcc_... (TestAccessPortalURL is a unit test).
func isAccName(name string) bool {
	rest, ok := strings.CutPrefix(name, "TestAcc")
	return ok && (rest == "" || rest[0] == '_' || unicode.IsUpper(rune(rest[0])))
}

// A doc comment starts with the name of what it documents: one that starts with another name of
// the package (or the same name in another case) was left behind by a rename or a move.
func TestDocCommentsNameTheirIdentifier(t *testing.T) {
	_, files := parseInternal(t)
	declared := map[string]map[string]bool{} // package dir => top-level names
	dir := func(p string) string { return filepath.ToSlash(filepath.Dir(p)) }
	for _, f := range files {
		names := declared[dir(f.path)]
		if names == nil {
			names = map[string]bool{}
			declared[dir(f.path)] = names
		}
		for name := range topLevelNames(f.file) {
			names[name] = true
		}
	}
	var wrong []string
	for _, f := range files {
		for _, d := range f.file.Decls {
			for name, doc := range documented(d) {
				first := firstWord(doc)
				if first == "" || first == name {
					continue
				}
				if strings.EqualFold(first, name) || declared[dir(f.path)][first] {
					wrong = append(wrong, f.path+": the doc comment of "+name+" starts with "+first)
				}
			}
		}
	}
	report(t, wrong)
}

func topLevelNames(f *ast.File) map[string]bool {
	out := map[string]bool{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				out[d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					out[s.Name.Name] = true
				case *ast.ValueSpec:
					for _, n := range s.Names {
						out[n.Name] = true
					}
				}
			}
		}
	}
	return out
}

// documented are the names a declaration documents, with their doc comments: a function or
// method, or a type, variable or constant declared alone or with its own comment in a group.
func documented(d ast.Decl) map[string]*ast.CommentGroup {
	out := map[string]*ast.CommentGroup{}
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Doc != nil {
			out[d.Name.Name] = d.Doc
		}
	case *ast.GenDecl:
		for _, s := range d.Specs {
			doc := d.Doc
			if len(d.Specs) > 1 || d.Lparen.IsValid() {
				doc = nil
			}
			switch s := s.(type) {
			case *ast.TypeSpec:
				if s.Doc != nil {
					doc = s.Doc
				}
				if doc != nil {
					out[s.Name.Name] = doc
				}
			case *ast.ValueSpec:
				if s.Doc != nil {
					doc = s.Doc
				}
				if doc != nil && len(s.Names) == 1 {
					out[s.Names[0].Name] = doc
				}
			}
		}
	}
	return out
}

// firstWord is the first word of a doc comment when it looks like a Go identifier, else "".
func firstWord(doc *ast.CommentGroup) string {
	text := strings.TrimSpace(doc.Text())
	word, _, _ := strings.Cut(text, " ")
	word = strings.TrimRight(word, ".,:;")
	if word == "" || !isIdent(word) {
		return ""
	}
	return word
}

func isIdent(s string) bool {
	for i, r := range s {
		if !(unicode.IsLetter(r) || r == '_' || i > 0 && unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}

// clientFields are the fields of a resource that hold an AWS package's client.
var clientFields = []string{"client", "activity", "sso"}

// pureClientMethods only read the configuration the client was built with: no request.
var pureClientMethods = []string{"MergeTags", "Partition", "Region"}

// A resource's Create, Read, Update and Delete map the model to a spec and make one domain call
// (plus, at most, one more for a different verb: a read of what an import must infer, a check
// before a create); the steps of applying it to AWS live in the AWS packages. There are no
// exceptions: a resource that needs more moves its steps into the AWS package (see
// awsiam.ApplyGroupBaseline, awssso.UpdateBaseline).
func TestResourceMethodsMakeOneDomainCall(t *testing.T) {
	_, files := parseInternal(t)
	var stepwise []string
	for _, f := range files {
		if !strings.HasPrefix(f.path, "provider/") || strings.HasSuffix(f.path, "_test.go") {
			continue
		}
		for _, d := range f.file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Body == nil || !slices.Contains([]string{"Create", "Read", "Update", "Delete"}, fn.Name.Name) {
				continue
			}
			typ := receiverType(fn)
			if !strings.HasSuffix(typ, "Resource") {
				continue
			}
			calls := awsCalls(fn)
			key := f.path + ": " + typ + "." + fn.Name.Name
			if len(calls) > 2 {
				stepwise = append(stepwise, key+" calls AWS step by step: "+strings.Join(calls, ", "))
			}
		}
	}
	report(t, stepwise)
}

func receiverType(fn *ast.FuncDecl) string {
	expr := fn.Recv.List[0].Type
	if star, ok := expr.(*ast.StarExpr); ok {
		expr = star.X
	}
	if id, ok := expr.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// awsCalls are the calls of fn to a method of one of the receiver's AWS clients (r.client.X(...),
// r.activity.X(...), or through a local variable holding one), in source order.
func awsCalls(fn *ast.FuncDecl) []string {
	recv := ""
	if names := fn.Recv.List[0].Names; len(names) == 1 {
		recv = names[0].Name
	}
	isClient := func(e ast.Expr, aliases map[string]bool) bool {
		switch e := e.(type) {
		case *ast.SelectorExpr:
			id, ok := e.X.(*ast.Ident)
			return ok && id.Name == recv && slices.Contains(clientFields, e.Sel.Name)
		case *ast.Ident:
			return aliases[e.Name]
		}
		return false
	}
	aliases := map[string]bool{}
	var calls []string
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) == 1 && len(n.Rhs) == 1 {
				if id, ok := n.Lhs[0].(*ast.Ident); ok && isClient(n.Rhs[0], aliases) {
					aliases[id.Name] = true
				}
			}
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if ok && isClient(sel.X, aliases) && !slices.Contains(pureClientMethods, sel.Sel.Name) {
				calls = append(calls, sel.Sel.Name)
			}
		}
		return true
	})
	return calls
}

func report(t *testing.T, problems []string) {
	t.Helper()
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}
