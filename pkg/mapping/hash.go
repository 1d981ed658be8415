package mapping

import (
	"crypto/sha256"
	"encoding/hex"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
)

// ContentHash returns a hash of what doc says: the hex form of the first 16
// bytes of the SHA-256 of its deterministic protobuf encoding, taken with
// content_hash empty and with the delivery fields of its Source cleared.
//
// The hash covers everything that reaches Kingdee and the Source's system,
// kind, id, shop id and rules_version, so a replay after a change of the
// mapping rules is seen as an update even when the bill comes out the same.
// It leaves out Source.version, Source.raw_sequence, Source.modified and
// Source.gateway: they say which delivery of the document this is, not what
// it says. JST bumps ts and modified on changes the mapping ignores (buyer
// fields, labels), and a document may be read twice or through the other
// gateway; all of these hash equal, so the writer can tell that a newer
// version changes nothing in Kingdee.
//
// The document holds no map fields, so its deterministic encoding is
// canonical for a given generated code. ContentHash returns "" when doc
// cannot be encoded (a string field that is not valid UTF-8).
func ContentHash(doc *obv1.Document) string {
	c := proto.CloneOf(doc)
	takeDelivery(sourceOf(c))
	return hashCleared(c)
}

// hashOwned is ContentHash for a document the caller owns and no one else
// reads yet: it clears the delivery fields in place for the time of the
// encoding instead of copying the document.
func hashOwned(doc *obv1.Document) string {
	src := sourceOf(doc)
	d := takeDelivery(src)
	defer d.restore(src)
	return hashCleared(doc)
}

// hashCleared hashes a document whose delivery fields are already clear,
// ignoring its content_hash.
func hashCleared(doc *obv1.Document) string {
	saved := doc.ContentHash
	doc.ContentHash = ""
	defer func() { doc.ContentHash = saved }()

	raw, err := proto.MarshalOptions{Deterministic: true}.Marshal(doc)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:16])
}

// sourceOf returns the Source of a document, nil when it has none.
func sourceOf(doc *obv1.Document) *obv1.Source {
	switch b := doc.GetBody().(type) {
	case *obv1.Document_SalesOrder:
		return b.SalesOrder.GetSource()
	case *obv1.Document_AfterSale:
		return b.AfterSale.GetSource()
	}
	return nil
}

// delivery holds the Source fields that say which delivery of a document
// this is; the content hash leaves them out.
type delivery struct {
	version  int64
	rawSeq   uint64
	modified *timestamppb.Timestamp
	gateway  string
}

// takeDelivery clears the delivery fields of src and returns them. A nil
// src gives nothing to restore.
func takeDelivery(src *obv1.Source) delivery {
	if src == nil {
		return delivery{}
	}
	d := delivery{src.Version, src.RawSequence, src.Modified, src.Gateway}
	src.Version, src.RawSequence, src.Modified, src.Gateway = 0, 0, nil, ""
	return d
}

// restore puts the delivery fields back into src.
func (d delivery) restore(src *obv1.Source) {
	if src == nil {
		return
	}
	src.Version, src.RawSequence, src.Modified, src.Gateway =
		d.version, d.rawSeq, d.modified, d.gateway
}
