package admin

import (
	"errors"
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// ErrNotConfigured reports a feature whose settings are missing, such as
// reconcile without the ERP credentials.
var ErrNotConfigured = errors.New("admin: not configured")

// invalid returns an InvalidArgument status whose message says what to do.
func invalid(format string, args ...any) error {
	return status.Errorf(codes.InvalidArgument, format, args...)
}

// internal turns an error of the server's own work into a gRPC status at
// the RPC edge, keeping statuses that are already there.
func internal(op string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	if errors.Is(err, ErrNotConfigured) {
		return status.Errorf(codes.FailedPrecondition, "%s: %v", op, err)
	}
	return status.Error(codes.Unavailable, fmt.Sprintf("%s: %v", op, err))
}
