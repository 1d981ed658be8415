module github.com/orderbridge/orderbridge/services/jstsim

go 1.26.0

replace (
	github.com/orderbridge/orderbridge/pkg => ../../pkg
	github.com/orderbridge/orderbridge/proto => ../../proto
)

require (
	github.com/orderbridge/orderbridge/pkg v0.0.0-00010101000000-000000000000
	github.com/shopspring/decimal v1.6.0
)

require golang.org/x/time v0.16.0 // indirect
