module github.com/orderbridge/orderbridge/test/chaos

go 1.26.0

replace (
	github.com/orderbridge/orderbridge/pkg => ../../pkg
	github.com/orderbridge/orderbridge/proto => ../../proto
	github.com/orderbridge/orderbridge/services/jstsim => ../../services/jstsim
	github.com/orderbridge/orderbridge/services/kingdeesim => ../../services/kingdeesim
)

require (
	github.com/nats-io/nats.go v1.56.0
	github.com/orderbridge/orderbridge/pkg v0.0.0-00010101000000-000000000000
	github.com/orderbridge/orderbridge/services/jstsim v0.0.0-00010101000000-000000000000
	github.com/orderbridge/orderbridge/services/kingdeesim v0.0.0-00010101000000-000000000000
)

require (
	github.com/beorn7/perks v1.0.1 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/go-logr/logr v1.4.4 // indirect
	github.com/go-logr/stdr v1.2.2 // indirect
	github.com/klauspost/compress v1.20.4 // indirect
	github.com/munnerz/goautoneg v0.0.0-20191010083416-a7dc8b61c822 // indirect
	github.com/nats-io/nkeys v0.4.17 // indirect
	github.com/nats-io/nuid v1.0.1 // indirect
	github.com/prometheus/client_golang v1.25.0 // indirect
	github.com/prometheus/client_model v0.6.3 // indirect
	github.com/prometheus/common v0.72.0 // indirect
	github.com/prometheus/procfs v0.22.0 // indirect
	github.com/shopspring/decimal v1.6.0 // indirect
	go.opentelemetry.io/auto/sdk v1.2.1 // indirect
	go.opentelemetry.io/otel v1.47.0 // indirect
	go.opentelemetry.io/otel/log v1.47.0 // indirect
	go.opentelemetry.io/otel/metric v1.47.0 // indirect
	go.opentelemetry.io/otel/trace v1.47.0 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/time v0.16.0 // indirect
	google.golang.org/protobuf v1.36.12 // indirect
)
