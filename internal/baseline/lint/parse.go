package lint

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

func (l *run) checkSize(document string) {
	size, quota := baseline.NonWhitespaceLen(document), l.opts.Kind.SizeQuota()
	if size > quota {
		l.errorf(CodeSize,
			"document is %d characters (whitespace excluded), over the AWS quota of %d for a %s: split it into several policies or use wildcards and fewer statements",
			size, quota, l.opts.Kind)
	}
}

func (l *run) parseJSON(document string) (map[string]any, bool) {
	dec := json.NewDecoder(strings.NewReader(document))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		var syn *json.SyntaxError
		switch {
		case errors.Is(err, io.EOF):
			l.errorf(CodeJSON, "invalid JSON: the document is empty; a policy is a JSON object such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}")
		case errors.Is(err, io.ErrUnexpectedEOF):
			l.errorf(CodeJSON, "invalid JSON at %s: the document ends before the JSON is complete; close every string, array and object", lintPosition(document, int64(len(document))))
		case errors.As(err, &syn):
			l.errorf(CodeJSON, "invalid JSON at %s: %s", lintPosition(document, syn.Offset), syn.Error())
		default:
			l.errorf(CodeJSON, "invalid JSON at %s: %s", lintPosition(document, dec.InputOffset()), err.Error())
		}
		return nil, false
	}
	// Decode stops after the first value; only whitespace may follow it.
	after := dec.InputOffset()
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		rest := document[after:]
		end := int64(len(document) - len(strings.TrimLeftFunc(rest, unicode.IsSpace)))
		l.errorf(CodeJSON, "invalid JSON at %s: unexpected data after the top-level value; a document holds exactly one JSON object", lintPosition(document, end+1))
		return nil, false
	}
	root, ok := v.(map[string]any)
	if !ok {
		l.errorf(CodeJSON, "the document is a JSON %s, but a policy must be a JSON object such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}", lintTypeName(v))
		return nil, false
	}
	return root, true
}

// lintPosition turns a byte offset into "line L, column C" (1-based, columns
// in characters).
func lintPosition(document string, offset int64) string {
	off := int(offset)
	if off > len(document) {
		off = len(document)
	}
	if off < 0 {
		off = 0
	}
	before := document[:off]
	line := strings.Count(before, "\n") + 1
	col := utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:])
	if col == 0 {
		col = 1
	}
	return fmt.Sprintf("line %d, column %d", line, col)
}

func lintTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}
