package jstsim

import (
	"encoding/json"
	"time"
)

// orderWire is an order as the open API serves it. Buyer fields are real
// JST fields filled with generated data; they must never be logged.
type orderWire struct {
	OID              int64           `json:"o_id"`
	SOID             string          `json:"so_id"`
	ShopID           int64           `json:"shop_id"`
	ShopName         string          `json:"shop_name"`
	CoID             int64           `json:"co_id"`
	OrderDate        string          `json:"order_date"`
	Created          string          `json:"created"`
	Modified         string          `json:"modified"`
	PayDate          string          `json:"pay_date,omitempty"`
	SendDate         string          `json:"send_date,omitempty"`
	Status           string          `json:"status"`
	ShopStatus       string          `json:"shop_status"`
	Type             string          `json:"type"`
	PayAmount        json.Number     `json:"pay_amount"`
	PaidAmount       json.Number     `json:"paid_amount"`
	Freight          string          `json:"freight"`
	FreeAmount       string          `json:"free_amount"`
	LID              string          `json:"l_id"`
	LogisticsCompany string          `json:"logistics_company"`
	WmsCoID          int64           `json:"wms_co_id"`
	Labels           string          `json:"labels"`
	Remark           string          `json:"remark"`
	BuyerMessage     string          `json:"buyer_message"`
	ReceiverName     string          `json:"receiver_name"`
	ReceiverMobile   string          `json:"receiver_mobile"`
	ReceiverState    string          `json:"receiver_state"`
	ReceiverCity     string          `json:"receiver_city"`
	ReceiverDistrict string          `json:"receiver_district"`
	ReceiverAddress  string          `json:"receiver_address"`
	ShopBuyerID      string          `json:"shop_buyer_id"`
	TS               any             `json:"ts"` // int64 or its decimal string
	IsMerge          bool            `json:"is_merge"`
	IsSplit          bool            `json:"is_split"`
	Items            []orderItemWire `json:"items"`
}

type orderItemWire struct {
	OIID            int64       `json:"oi_id"`
	OuterOIID       string      `json:"outer_oi_id"`
	SKUID           string      `json:"sku_id"`
	ShopSKUID       string      `json:"shop_sku_id"`
	IID             string      `json:"i_id"`
	Name            string      `json:"name"`
	PropertiesValue string      `json:"properties_value"`
	Qty             int         `json:"qty"`
	Price           string      `json:"price"`
	BasePrice       json.Number `json:"base_price"`
	Amount          string      `json:"amount"`
	IsGift          bool        `json:"is_gift"`
	RefundStatus    string      `json:"refund_status"`
	ItemStatus      string      `json:"item_status"`
	SKUType         string      `json:"sku_type"`
}

// afterSaleWire is an after-sale as the open API serves it, shaped like the
// real sample: amounts and ts are strings, shop_id is a string.
type afterSaleWire struct {
	ASID             int64               `json:"as_id"`
	OuterASID        string              `json:"outer_as_id"`
	OID              int64               `json:"o_id"`
	SOID             string              `json:"so_id"`
	ASDate           string              `json:"as_date"`
	Created          string              `json:"created"`
	Modified         string              `json:"modified"`
	ConfirmDate      string              `json:"confirm_date,omitempty"`
	Type             string              `json:"type"`
	Status           string              `json:"status"`
	ShopStatus       string              `json:"shop_status"`
	GoodStatus       string              `json:"good_status"`
	OrderStatus      string              `json:"order_status"`
	OrderType        string              `json:"order_type"`
	QuestionType     string              `json:"question_type"`
	Refund           string              `json:"refund"`
	Payment          string              `json:"payment"`
	BuyerApplyRefund string              `json:"buyer_apply_refund"`
	Freight          string              `json:"freight"`
	Warehouse        string              `json:"warehouse"`
	WmsCoID          int64               `json:"wms_co_id"`
	WhID             int                 `json:"wh_id"`
	ShopID           string              `json:"shop_id"`
	LID              string              `json:"l_id"`
	LogisticsCompany string              `json:"logistics_company"`
	Labels           string              `json:"labels"`
	Remark           string              `json:"remark"`
	ShopBuyerID      string              `json:"shop_buyer_id"`
	TS               string              `json:"ts"`
	Items            []afterSaleItemWire `json:"items"`
}

type afterSaleItemWire struct {
	ASIID           int64  `json:"asi_id"`
	OuterOIID       string `json:"outer_oi_id"`
	SKUID           string `json:"sku_id"`
	ShopSKUID       string `json:"shop_sku_id"`
	IID             string `json:"i_id"`
	Name            string `json:"name"`
	PropertiesValue string `json:"properties_value"`
	Qty             int    `json:"qty"`
	RQty            int    `json:"r_qty"`
	DefectiveQty    int    `json:"defective_qty"`
	Price           string `json:"price"`
	Amount          string `json:"amount"`
	Type            string `json:"type"`
	ReceiveDate     string `json:"receive_date,omitempty"`
	SKUType         string `json:"sku_type"`
}

// Shop is a generated shop. ID is a numeric string, as JST's are.
type Shop struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// SKU is an entry of the generated catalogue. Price is the list price as a
// decimal string.
type SKU struct {
	ID         string `json:"id"`
	ItemID     string `json:"i_id"`
	Name       string `json:"name"`
	Properties string `json:"properties_value"`
	Price      string `json:"price"`
}

// Item is a goods line of an Order or AfterSale snapshot. Price and Amount
// are decimal strings as served; RQty and DefectiveQty are 0 on orders.
type Item struct {
	SKU          string `json:"sku"`
	Name         string `json:"name"`
	Qty          int    `json:"qty"`
	RQty         int    `json:"r_qty"`
	DefectiveQty int    `json:"defective_qty"`
	Price        string `json:"price"`
	Amount       string `json:"amount"`
	IsGift       bool   `json:"is_gift"`
}

// Order is a snapshot of a served order. Amounts are decimal strings; for
// every order PayAmount = sum of item amounts + Freight - FreeAmount.
type Order struct {
	ID         int64     `json:"id"`
	SOID       string    `json:"so_id"`
	ShopID     string    `json:"shop_id"`
	Status     string    `json:"status"`
	Type       string    `json:"type"`
	Modified   time.Time `json:"modified"`
	TS         int64     `json:"ts"`
	PayAmount  string    `json:"pay_amount"`
	PaidAmount string    `json:"paid_amount"`
	Freight    string    `json:"freight"`
	FreeAmount string    `json:"free_amount"`
	IsMerge    bool      `json:"is_merge"`
	IsSplit    bool      `json:"is_split"`
	Items      []Item    `json:"items"`
}

// AfterSale is a snapshot of a served after-sale. Refund is the sum of the
// item amounts for refunding types (普通退货, 拒收退货, 仅退款) and "0"
// otherwise.
type AfterSale struct {
	ID         int64     `json:"id"`
	OrderID    int64     `json:"o_id"`
	SOID       string    `json:"so_id"`
	ShopID     string    `json:"shop_id"`
	Status     string    `json:"status"`
	Type       string    `json:"type"`
	GoodStatus string    `json:"good_status"`
	Modified   time.Time `json:"modified"`
	TS         int64     `json:"ts"`
	Refund     string    `json:"refund"`
	Payment    string    `json:"payment"`
	Freight    string    `json:"freight"`
	WmsCoID    int64     `json:"wms_co_id"`
	WhID       int       `json:"wh_id"`
	Items      []Item    `json:"items"`
}
