module github.com/orderbridge/orderbridge/services/transformer

go 1.26

replace (
	github.com/orderbridge/orderbridge/pkg => ../../pkg
	github.com/orderbridge/orderbridge/proto => ../../proto
)
