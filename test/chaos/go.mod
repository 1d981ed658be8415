module github.com/orderbridge/orderbridge/test/chaos

go 1.26.0

replace (
	github.com/orderbridge/orderbridge/pkg => ../../pkg
	github.com/orderbridge/orderbridge/proto => ../../proto
	github.com/orderbridge/orderbridge/services/jstsim => ../../services/jstsim
	github.com/orderbridge/orderbridge/services/kingdeesim => ../../services/kingdeesim
	github.com/orderbridge/orderbridge/services/poller => ../../services/poller
	github.com/orderbridge/orderbridge/services/standalone => ../../services/standalone
	github.com/orderbridge/orderbridge/services/transformer => ../../services/transformer
	github.com/orderbridge/orderbridge/services/writer => ../../services/writer
)

require (
	github.com/nats-io/nats.go v1.56.0
	github.com/orderbridge/orderbridge/pkg v0.0.0-00010101000000-000000000000
	github.com/orderbridge/orderbridge/services/jstsim v0.0.0-00010101000000-000000000000
	github.com/orderbridge/orderbridge/services/kingdeesim v0.0.0-00010101000000-000000000000
	github.com/orderbridge/orderbridge/services/standalone v0.0.0-00010101000000-000000000000
)

require (
	cel.dev/expr v0.25.3 // indirect
	github.com/antithesishq/antithesis-sdk-go v0.9.0-default-no-op // indirect
	github.com/antlr4-go/antlr/v4 v4.13.1 // indirect
	github.com/beorn7/perks v1.0.1 // indirect
	github.com/cenkalti/backoff/v5 v5.0.3 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/go-logr/logr v1.4.4 // indirect
	github.com/go-logr/stdr v1.2.2 // indirect
	github.com/google/cel-go v0.31.0 // indirect
	github.com/google/go-tpm v0.9.8 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/grpc-ecosystem/grpc-gateway/v2 v2.30.0 // indirect
	github.com/klauspost/compress v1.20.4 // indirect
	github.com/minio/highwayhash v1.0.4 // indirect
	github.com/munnerz/goautoneg v0.0.0-20191010083416-a7dc8b61c822 // indirect
	github.com/nats-io/jwt/v2 v2.8.3 // indirect
	github.com/nats-io/nats-server/v2 v2.15.3 // indirect
	github.com/nats-io/nkeys v0.4.17 // indirect
	github.com/nats-io/nuid v1.0.1 // indirect
	github.com/orderbridge/orderbridge/proto v0.0.0-00010101000000-000000000000 // indirect
	github.com/orderbridge/orderbridge/services/poller v0.0.0-00010101000000-000000000000 // indirect
	github.com/orderbridge/orderbridge/services/transformer v0.0.0-00010101000000-000000000000 // indirect
	github.com/orderbridge/orderbridge/services/writer v0.0.0-00010101000000-000000000000 // indirect
	github.com/prometheus/client_golang v1.25.0 // indirect
	github.com/prometheus/client_model v0.6.3 // indirect
	github.com/prometheus/common v0.72.0 // indirect
	github.com/prometheus/procfs v0.22.0 // indirect
	github.com/shopspring/decimal v1.6.0 // indirect
	go.opentelemetry.io/auto/sdk v1.2.1 // indirect
	go.opentelemetry.io/otel v1.47.0 // indirect
	go.opentelemetry.io/otel/exporters/otlp/otlptrace v1.47.0 // indirect
	go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp v1.47.0 // indirect
	go.opentelemetry.io/otel/log v1.47.0 // indirect
	go.opentelemetry.io/otel/metric v1.47.0 // indirect
	go.opentelemetry.io/otel/sdk v1.47.0 // indirect
	go.opentelemetry.io/otel/trace v1.47.0 // indirect
	go.opentelemetry.io/proto/otlp v1.11.0 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/exp v0.0.0-20240823005443-9b4947da3948 // indirect
	golang.org/x/net v0.60.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	golang.org/x/time v0.16.0 // indirect
	google.golang.org/genproto/googleapis/api v0.0.0-20260928230214-8a89bd6388cc // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20260928230214-8a89bd6388cc // indirect
	google.golang.org/grpc v1.85.0 // indirect
	google.golang.org/protobuf v1.36.12 // indirect
)
