package jst

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
)

// Kind names a JST document kind. It is the kind token of subjects and keys
// across the pipeline.
type Kind string

// The document kinds the pipeline moves.
const (
	KindOrder     Kind = "order"
	KindAfterSale Kind = "aftersale"
)

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool {
	return k == KindOrder || k == KindAfterSale
}

// Order is a JST order as the orders query returns it. Only the fields the
// pipeline uses are decoded; buyer fields (receiver_*, shop_buyer_id,
// buyer_message) and unknown fields are deliberately skipped.
type Order struct {
	OID              String      `json:"o_id"`
	SoID             String      `json:"so_id"`
	ShopID           String      `json:"shop_id"`
	ShopName         String      `json:"shop_name"`
	CoID             String      `json:"co_id"`
	Type             String      `json:"type"`
	Status           String      `json:"status"`
	ShopStatus       String      `json:"shop_status"`
	OrderDate        Time        `json:"order_date"`
	Created          Time        `json:"created"`
	Modified         Time        `json:"modified"`
	PayDate          Time        `json:"pay_date"`
	SendDate         Time        `json:"send_date"`
	PayAmount        Decimal     `json:"pay_amount"`
	PaidAmount       Decimal     `json:"paid_amount"`
	Freight          Decimal     `json:"freight"`
	FreeAmount       Decimal     `json:"free_amount"`
	LID              String      `json:"l_id"`
	LogisticsCompany String      `json:"logistics_company"`
	WmsCoID          String      `json:"wms_co_id"`
	Ts               Int         `json:"ts"`
	Items            []OrderItem `json:"items"`
}

// OrderItem is one goods line of an Order.
type OrderItem struct {
	OIID            String  `json:"oi_id"`
	OuterOIID       String  `json:"outer_oi_id"`
	SkuID           String  `json:"sku_id"`
	ShopSkuID       String  `json:"shop_sku_id"`
	IID             String  `json:"i_id"`
	Name            String  `json:"name"`
	PropertiesValue String  `json:"properties_value"`
	Qty             Decimal `json:"qty"`
	Price           Decimal `json:"price"`
	BasePrice       Decimal `json:"base_price"`
	Amount          Decimal `json:"amount"`
	IsGift          Bool    `json:"is_gift"`
	RefundStatus    String  `json:"refund_status"`
	SkuType         String  `json:"sku_type"`
}

// AfterSale is a JST after-sale (return, refund, exchange...) as the refund
// query returns it. Buyer fields and unknown fields are skipped, as on Order.
type AfterSale struct {
	ASID             String          `json:"as_id"`
	OuterASID        String          `json:"outer_as_id"`
	OID              String          `json:"o_id"`
	SoID             String          `json:"so_id"`
	ASDate           Time            `json:"as_date"`
	Created          Time            `json:"created"`
	Modified         Time            `json:"modified"`
	ConfirmDate      Time            `json:"confirm_date"`
	Type             String          `json:"type"`
	Status           String          `json:"status"`
	ShopStatus       String          `json:"shop_status"`
	GoodStatus       String          `json:"good_status"`
	OrderStatus      String          `json:"order_status"`
	Refund           Decimal         `json:"refund"`
	Payment          Decimal         `json:"payment"`
	Freight          Decimal         `json:"freight"`
	Warehouse        String          `json:"warehouse"`
	WmsCoID          String          `json:"wms_co_id"`
	WhID             String          `json:"wh_id"`
	ShopID           String          `json:"shop_id"`
	LID              String          `json:"l_id"`
	LogisticsCompany String          `json:"logistics_company"`
	Ts               Int             `json:"ts"`
	Items            []AfterSaleItem `json:"items"`
}

// AfterSaleItem is one goods line of an AfterSale.
type AfterSaleItem struct {
	ASIID           String  `json:"asi_id"`
	OuterOIID       String  `json:"outer_oi_id"`
	SkuID           String  `json:"sku_id"`
	ShopSkuID       String  `json:"shop_sku_id"`
	IID             String  `json:"i_id"`
	Name            String  `json:"name"`
	PropertiesValue String  `json:"properties_value"`
	Qty             Decimal `json:"qty"`
	RQty            Decimal `json:"r_qty"`
	DefectiveQty    Decimal `json:"defective_qty"`
	Price           Decimal `json:"price"`
	Amount          Decimal `json:"amount"`
	Type            String  `json:"type"`
	ReceiveDate     Time    `json:"receive_date"`
}

// ParseOrder decodes one JST order. It does not check that required fields
// are present; see Order.Meta. Keys match exactly, and a value of the wrong
// shape, like malformed JSON, comes back as a *FieldError.
func ParseOrder(raw []byte) (*Order, error) {
	o := new(Order)
	r := jsonReader{b: raw}
	err := r.object(func(key []byte) error {
		if string(key) == "items" {
			return readItems(&r, &o.Items, (*OrderItem).field)
		}
		return r.loose(o.field(key), key)
	})
	if err == nil {
		err = r.end()
	}
	if err != nil {
		return nil, docError(KindOrder, raw, err)
	}
	return o, nil
}

// ParseAfterSale decodes one JST after-sale. It does not check that required
// fields are present; see AfterSale.Meta. Keys match exactly, and a value of
// the wrong shape, like malformed JSON, comes back as a *FieldError.
func ParseAfterSale(raw []byte) (*AfterSale, error) {
	a := new(AfterSale)
	r := jsonReader{b: raw}
	err := r.object(func(key []byte) error {
		if string(key) == "items" {
			return readItems(&r, &a.Items, (*AfterSaleItem).field)
		}
		return r.loose(a.field(key), key)
	})
	if err == nil {
		err = r.end()
	}
	if err != nil {
		return nil, docError(KindAfterSale, raw, err)
	}
	return a, nil
}

// readItems reads the items list of a document, replacing items. Errors
// name the item, as in "items[2].qty".
func readItems[T any](
	r *jsonReader,
	items *[]T,
	field func(*T, []byte) json.Unmarshaler,
) error {
	*items = nil
	err := r.array(func(i int) error {
		*items = append(*items, *new(T))
		it := &(*items)[i]
		err := r.object(func(key []byte) error {
			return r.loose(field(it, key), key)
		})
		return under(err, "items["+strconv.Itoa(i)+"]")
	})
	return inField(err, "items")
}

// loose reads the value of key into u, or skips it when u is nil. A value
// nested too deep is a *FieldError naming key.
func (r *jsonReader) loose(u json.Unmarshaler, key []byte) error {
	raw, err := r.value()
	if errors.Is(err, errTooDeep) {
		return &FieldError{Field: string(key), Err: err}
	}
	if err != nil {
		return err
	}
	if u == nil {
		return nil
	}
	if err := u.UnmarshalJSON(raw); err != nil {
		fe := &FieldError{Field: string(key), Err: err}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			fe.Value = te.Value
			fe.Err = errors.New("want " + describe(te.Type))
		}
		return fe
	}
	return nil
}

// inField makes a *FieldError that names no field about path. Other
// errors pass through.
func inField(err error, path string) error {
	var fe *FieldError
	if errors.As(err, &fe) && fe.Field == "" {
		fe.Field = path
	}
	return err
}

// under places the field of a *FieldError below path: "qty" becomes
// "items[2].qty", and no field becomes path. Other errors pass through.
func under(err error, path string) error {
	var fe *FieldError
	if errors.As(err, &fe) {
		if fe.Field == "" {
			fe.Field = path
		} else {
			fe.Field = path + "." + fe.Field
		}
	}
	return err
}

// FieldError reports a JST document that could not be decoded or that lacks
// a required field. Field is the JSON path ("items.qty"; empty when the
// document itself is malformed) and Value the offending JSON text, cut short
// when long. ID is the document's id when it could be read.
type FieldError struct {
	Kind  Kind
	ID    string
	Field string
	Value string
	Err   error
}

// Error names the kind, the id when known, the field and the value.
func (e *FieldError) Error() string {
	msg := "jst: " + string(e.Kind)
	if e.ID != "" {
		msg += " " + e.ID
	}
	if e.Field != "" {
		msg += ": field " + e.Field
	}
	if e.Value != "" {
		msg += ": value " + e.Value
	}
	if e.Err == nil {
		return msg
	}
	return msg + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *FieldError) Unwrap() error { return e.Err }

// Missing reports whether the error is about a required field that is absent
// or empty, rather than a value of the wrong shape.
func (e *FieldError) Missing() bool { return errors.Is(e.Err, errMissing) }

// errMissing is the cause of a FieldError for a required field that is
// absent or empty.
var errMissing = errors.New("missing")

// docError completes an error of the reader into a *FieldError of kind,
// naming the document's id when it can be read.
func docError(kind Kind, raw []byte, err error) error {
	var fe *FieldError
	if !errors.As(err, &fe) {
		fe = &FieldError{Err: err}
	}
	fe.Kind = kind
	fe.ID = peekID(kind, raw)
	return fe
}

// describe says in words what a Go type expects of a JSON value.
func describe(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[Decimal]():
		return "a decimal number"
	case reflect.TypeFor[Int]():
		return "an integer"
	case reflect.TypeFor[String]():
		return "a string or number"
	case reflect.TypeFor[Time]():
		return "a time " + `"` + TimeLayout + `"`
	case reflect.TypeFor[Bool]():
		return "a boolean"
	}
	switch t.Kind() {
	case reflect.Slice:
		return "a list"
	case reflect.Struct:
		return "an object"
	}
	return t.String()
}

// field returns the loose value of key, or nil for a key Order skips.
func (o *Order) field(key []byte) json.Unmarshaler {
	switch string(key) {
	case "o_id":
		return &o.OID
	case "so_id":
		return &o.SoID
	case "shop_id":
		return &o.ShopID
	case "shop_name":
		return &o.ShopName
	case "co_id":
		return &o.CoID
	case "type":
		return &o.Type
	case "status":
		return &o.Status
	case "shop_status":
		return &o.ShopStatus
	case "order_date":
		return &o.OrderDate
	case "created":
		return &o.Created
	case "modified":
		return &o.Modified
	case "pay_date":
		return &o.PayDate
	case "send_date":
		return &o.SendDate
	case "pay_amount":
		return &o.PayAmount
	case "paid_amount":
		return &o.PaidAmount
	case "freight":
		return &o.Freight
	case "free_amount":
		return &o.FreeAmount
	case "l_id":
		return &o.LID
	case "logistics_company":
		return &o.LogisticsCompany
	case "wms_co_id":
		return &o.WmsCoID
	case "ts":
		return &o.Ts
	}
	return nil
}

// field returns the loose value of key, or nil for a key OrderItem skips.
func (it *OrderItem) field(key []byte) json.Unmarshaler {
	switch string(key) {
	case "oi_id":
		return &it.OIID
	case "outer_oi_id":
		return &it.OuterOIID
	case "sku_id":
		return &it.SkuID
	case "shop_sku_id":
		return &it.ShopSkuID
	case "i_id":
		return &it.IID
	case "name":
		return &it.Name
	case "properties_value":
		return &it.PropertiesValue
	case "qty":
		return &it.Qty
	case "price":
		return &it.Price
	case "base_price":
		return &it.BasePrice
	case "amount":
		return &it.Amount
	case "is_gift":
		return &it.IsGift
	case "refund_status":
		return &it.RefundStatus
	case "sku_type":
		return &it.SkuType
	}
	return nil
}

// field returns the loose value of key, or nil for a key AfterSale skips.
func (a *AfterSale) field(key []byte) json.Unmarshaler {
	switch string(key) {
	case "as_id":
		return &a.ASID
	case "outer_as_id":
		return &a.OuterASID
	case "o_id":
		return &a.OID
	case "so_id":
		return &a.SoID
	case "as_date":
		return &a.ASDate
	case "created":
		return &a.Created
	case "modified":
		return &a.Modified
	case "confirm_date":
		return &a.ConfirmDate
	case "type":
		return &a.Type
	case "status":
		return &a.Status
	case "shop_status":
		return &a.ShopStatus
	case "good_status":
		return &a.GoodStatus
	case "order_status":
		return &a.OrderStatus
	case "refund":
		return &a.Refund
	case "payment":
		return &a.Payment
	case "freight":
		return &a.Freight
	case "warehouse":
		return &a.Warehouse
	case "wms_co_id":
		return &a.WmsCoID
	case "wh_id":
		return &a.WhID
	case "shop_id":
		return &a.ShopID
	case "l_id":
		return &a.LID
	case "logistics_company":
		return &a.LogisticsCompany
	case "ts":
		return &a.Ts
	}
	return nil
}

// field returns the loose value of key, or nil for a key AfterSaleItem
// skips.
func (it *AfterSaleItem) field(key []byte) json.Unmarshaler {
	switch string(key) {
	case "asi_id":
		return &it.ASIID
	case "outer_oi_id":
		return &it.OuterOIID
	case "sku_id":
		return &it.SkuID
	case "shop_sku_id":
		return &it.ShopSkuID
	case "i_id":
		return &it.IID
	case "name":
		return &it.Name
	case "properties_value":
		return &it.PropertiesValue
	case "qty":
		return &it.Qty
	case "r_qty":
		return &it.RQty
	case "defective_qty":
		return &it.DefectiveQty
	case "price":
		return &it.Price
	case "amount":
		return &it.Amount
	case "type":
		return &it.Type
	case "receive_date":
		return &it.ReceiveDate
	}
	return nil
}
