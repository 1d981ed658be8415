# orderbridge: build, test and run. Every Go module of the workspace is
# walked explicitly, since `go test ./...` at the root matches no module.

GO      ?= go
MODULES := $(shell $(GO) list -m -f '{{.Dir}}')
PKGS    := $(addsuffix /...,$(MODULES))
BIN     := $(CURDIR)/bin
TEST_TIMEOUT ?= 9m

.PHONY: all build test vet fmt fmt-check modules-check tidy tools proto proto-check run bench ci \
	faults images rules chaos

all: build test

build:
	$(GO) build $(PKGS)

## test: formatting, vet, the alert rules' unit tests and every test of every
## module (under ten minutes)
test: fmt-check vet rules
	$(GO) test -count=1 -timeout $(TEST_TIMEOUT) $(PKGS)

## rules: promtool checks the alert rules and runs their unit tests, when
## promtool is on PATH (.ci/run installs it)
rules:
	@if command -v promtool >/dev/null 2>&1; then \
		cd deploy/prometheus && promtool check rules orderbridge.rules.yml && \
		promtool test rules orderbridge.rules.test.yml; \
	else echo "rules: promtool not on PATH; skipping (CI installs it)"; fi

## images: the container image of every service, where a container engine
## runs (IMAGE_REPO/<service>:IMAGE_TAG, built from the repository root)
IMAGES     := poller transformer writer admin jstsim kingdeesim standalone
IMAGE_REPO ?= orderbridge
IMAGE_TAG  ?= dev
images:
	@if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then \
		echo "images: no container engine answers here (docker info); skipping"; exit 0; fi; \
	for i in $(IMAGES); do \
		docker build -f deploy/docker/$$i/Dockerfile -t $(IMAGE_REPO)/$$i:$(IMAGE_TAG) . || exit 1; \
	done

vet:
	$(GO) vet $(PKGS)

fmt:
	gofmt -w $(MODULES)

fmt-check:
	@out=$$(gofmt -l $(MODULES)); if [ -n "$$out" ]; then \
		echo "gofmt would change:"; echo "$$out"; exit 1; fi

## modules-check: each module builds on its own, outside the workspace
modules-check:
	@for m in $(MODULES); do \
		echo "build $$m"; (cd $$m && GOWORK=off $(GO) build ./...) || exit 1; \
	done

tidy:
	@for m in $(MODULES) $(CURDIR)/tools; do \
		(cd $$m && GOWORK=off $(GO) mod tidy) || exit 1; \
	done

## tools: buf and the protoc plugins, pinned in tools/go.mod
tools: $(BIN)/buf $(BIN)/protoc-gen-go $(BIN)/protoc-gen-go-grpc

$(BIN)/%: tools/go.mod tools/go.sum
	cd tools && GOWORK=off $(GO) build -o $(BIN)/ \
		github.com/bufbuild/buf/cmd/buf \
		google.golang.org/protobuf/cmd/protoc-gen-go \
		google.golang.org/grpc/cmd/protoc-gen-go-grpc

## proto: regenerate proto/gen/go with buf
proto: tools
	cd proto && PATH=$(BIN):$$PATH buf lint && PATH=$(BIN):$$PATH buf generate

## proto-check: fail when the committed generated code is stale
proto-check: proto
	@git diff --exit-code --stat -- proto/gen || \
		{ echo "proto/gen is stale: run make proto and commit"; exit 1; }
	@test -z "$$(git status --porcelain -- proto/gen)" || \
		{ echo "proto/gen has uncommitted files: run make proto and commit"; exit 1; }

## run: the whole pipeline on an embedded JetStream server with both simulators
run:
	LOG_LEVEL=$${LOG_LEVEL:-warn} LOG_FORMAT=$${LOG_FORMAT:-text} \
	HTTP_ADDR=$${HTTP_ADDR:-127.0.0.1:8080} GRPC_ADDR=$${GRPC_ADDR:-127.0.0.1:9090} \
		$(GO) run ./services/standalone/cmd/standalone $(ARGS)

## bench: the benchmarks, with their figures; test/chaos's BenchmarkPipeline
## prints the load and scaling table that BENCHMARKS.md records
bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 30m $(PKGS)

## faults: the writer's long fault test (three processes, ten times the documents)
faults:
	$(GO) test -count=1 -tags faults -run TestFaults -timeout 15m -v ./services/writer/

## ci: what .ci/run does
ci: proto-check modules-check test

## chaos: the full fault suite (every service a process, faults, restarts);
## its short form runs in make test
chaos:
	$(GO) test -count=1 -tags chaos -run TestChaos -timeout 20m -v ./test/chaos/
