module github.com/orderbridge/orderbridge/services/kingdeesim

go 1.26.0

replace (
	github.com/orderbridge/orderbridge/pkg => ../../pkg
	github.com/orderbridge/orderbridge/proto => ../../proto
)

require (
	github.com/orderbridge/orderbridge/pkg v0.0.0-00010101000000-000000000000
	github.com/orderbridge/orderbridge/proto v0.0.0-00010101000000-000000000000
	google.golang.org/protobuf v1.36.12
)

require github.com/shopspring/decimal v1.6.0 // indirect
