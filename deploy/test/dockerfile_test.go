package test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// images are the services with an image, each built by
// deploy/docker/<name>/Dockerfile from services/<name>/cmd/<name>.
var images = []string{"admin", "jstsim", "kingdeesim", "poller", "standalone",
	"transformer", "writer"}

// instruction is one Dockerfile instruction with its continuation lines
// joined.
type instruction struct {
	line int
	cmd  string // upper case
	args string
}

func parseDockerfile(t *testing.T, path string) []instruction {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []instruction
	var cur *instruction
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if cur == nil && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		more := strings.HasSuffix(line, "\\")
		line = strings.TrimSuffix(line, "\\")
		if cur == nil {
			cmd, args, _ := strings.Cut(line, " ")
			cur = &instruction{line: n, cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)}
		} else if !strings.HasPrefix(line, "#") {
			cur.args += " " + line
		}
		if !more {
			out = append(out, *cur)
			cur = nil
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// pinnedImage matches image references whose tag names a version, or that
// carry a digest.
var pinnedImage = regexp.MustCompile(`^[a-z0-9./-]+(:[A-Za-z0-9._-]*[0-9][A-Za-z0-9._-]*)?(@sha256:[a-f0-9]{64})?$`)

func TestDockerfiles(t *testing.T) {
	root := repoRoot(t)
	for _, name := range images {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(root, "deploy", "docker", name, "Dockerfile")
			ins := parseDockerfile(t, path)
			stages := map[string]bool{}
			var user, entry string
			var build string
			for _, in := range ins {
				where := path + ":" + itoa(in.line)
				switch in.cmd {
				case "FROM":
					user = "" // USER is per stage
					f := strings.Fields(in.args)
					img := f[0]
					if len(f) >= 3 && strings.EqualFold(f[1], "AS") {
						stages[f[2]] = true
					}
					switch {
					case img == "scratch" || stages[img] && len(f) < 3:
					case strings.HasSuffix(img, ":latest") || !strings.ContainsAny(img, ":@"):
						t.Errorf("%s: base %s is not pinned to a version", where, img)
					case !pinnedImage.MatchString(img):
						t.Errorf("%s: base %s: want a versioned tag or a digest", where, img)
					}
				case "COPY", "ADD":
					args := strings.Fields(in.args)
					var srcs []string
					from := false
					for _, a := range args {
						if strings.HasPrefix(a, "--from=") {
							from = true
						}
						if !strings.HasPrefix(a, "--") {
							srcs = append(srcs, a)
						}
					}
					if from || len(srcs) < 2 {
						continue
					}
					for _, s := range srcs[:len(srcs)-1] {
						if _, err := os.Stat(filepath.Join(root, s)); err != nil {
							t.Errorf("%s: COPY source %s does not exist in the repository",
								where, s)
						}
					}
				case "RUN":
					if strings.Contains(in.args, "go build") {
						build += in.args + "\n"
					}
				case "USER":
					user = in.args
				case "ENTRYPOINT":
					entry = in.args
				}
			}
			if user == "" || user == "root" || user == "0" ||
				strings.HasPrefix(user, "0:") || strings.HasPrefix(user, "root:") {
				t.Errorf("%s: final stage runs as %q, want a non-root USER", path, user)
			}
			if !strings.Contains(build, "-tags timetzdata") {
				t.Errorf("%s: go build without -tags timetzdata: Beijing time needs the zone database", path)
			}
			if !strings.Contains(build, "./cmd/"+name) {
				t.Errorf("%s: does not build ./cmd/%s", path, name)
			}
			if _, err := os.Stat(filepath.Join(root, "services", name, "cmd", name)); err != nil {
				t.Errorf("%s: services/%s/cmd/%s does not exist", path, name, name)
			}
			if entry != `["/`+name+`"]` {
				t.Errorf("%s: ENTRYPOINT %s, want [\"/%s\"]", path, entry, name)
			}
			content, _ := os.ReadFile(path)
			if !strings.Contains(string(content), "CGO_ENABLED=0") {
				t.Errorf("%s: want a static build (CGO_ENABLED=0)", path)
			}
		})
	}
}
