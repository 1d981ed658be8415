package bill

import (
	"fmt"

	"github.com/shopspring/decimal"

	orderbridgev1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
)

// line is a goods line checked and parsed.
type line struct {
	src      *orderbridgev1.Line
	field    string // "lines[i]", for errors
	qty      decimal.Decimal
	price    decimal.Decimal
	discount decimal.Decimal
	unit     string
	freight  bool // a service line made from the freight
}

// lines checks the goods lines of a document. Lines with a zero quantity
// (nothing sent, nothing received) are left out; none left is an error.
func (b *builder) lines(src []*orderbridgev1.Line, unit string) []line {
	var out []line
	for i, l := range src {
		f := fmt.Sprintf("lines[%d]", i)
		ln := line{
			src:      l,
			field:    f,
			qty:      b.nonNegative(f+".qty", l.GetQty()),
			price:    b.nonNegative(f+".tax_price", l.GetTaxPrice()),
			discount: b.nonNegative(f+".discount_amount", l.GetDiscountAmount()),
			unit:     firstNonEmpty(l.GetUnitNumber(), unit),
		}
		b.need(f+".material_number", l.GetMaterialNumber())
		b.need(f+".unit_number", ln.unit)
		if l.GetIsGift() {
			ln.price, ln.discount = decimal.Zero, decimal.Zero
		}
		if ln.qty.IsPositive() {
			out = append(out, ln)
		}
	}
	if len(out) == 0 {
		b.fail("lines", fmt.Sprint(len(src)), "no line with a positive quantity")
	}
	return out
}

func buildOrder(o *orderbridgev1.SalesOrder, s Settings) (*Bill, error) {
	form := firstNonEmpty(o.GetFormId(), FormSaleOrder)
	fs, err := settingsFor(s, form, FormSaleOrder, FormOutStock)
	if err != nil {
		return nil, fmt.Errorf("bill: %s: %w", o.GetBillNo(), err)
	}
	b := newBuilder(o.GetBillNo(), "order", o.GetSource().GetId())

	var m map[string]any
	if form == FormOutStock {
		m = b.outStock(o, fs)
	} else {
		m = b.saleOrder(o, fs)
	}
	if b.err != nil {
		return nil, b.err
	}
	return &Bill{FormID: form, BillNo: o.GetBillNo(), Model: m}, nil
}

// orderParties returns the checked sale, stock and settle organisations
// and the customer of an order or after-sale.
func (b *builder) orderParties(p *orderbridgev1.Parties) (sale, stock, settle, cust string) {
	sale = b.need("parties.sale_org_number", p.GetSaleOrgNumber())
	stock = firstNonEmpty(p.GetStockOrgNumber(), sale)
	settle = firstNonEmpty(p.GetSettleOrgNumber(), sale)
	cust = b.need("parties.customer_number", p.GetCustomerNumber())
	return sale, stock, settle, cust
}

func (b *builder) saleOrder(o *orderbridgev1.SalesOrder, fs FormSettings) map[string]any {
	date := b.date("order_date", o.GetOrderDate(), o.GetSendDate())
	delivery := b.date("send_date", o.GetSendDate(), o.GetOrderDate())
	sale, stock, settle, cust := b.orderParties(o.GetParties())
	rate := num(b.dec("settings.TaxRate", fs.TaxRate))

	m := b.header(fs, o.GetBillNo(), date)
	m["FSaleOrgId"] = ref(sale)
	m["FCustId"] = ref(cust)
	setRef(m, "FSalerId", o.GetParties().GetSalespersonNumber())
	setRef(m, "FSaleDeptId", o.GetParties().GetDepartmentNumber())
	m["FNote"] = firstNonEmpty(o.GetNote(), o.GetSoId())
	m["FSaleOrderFinance"] = map[string]any{
		"FSettleCurrId":   ref(b.need("settings.Currency", fs.Currency)),
		"FExchangeTypeId": ref(b.need("settings.ExchangeType", fs.ExchangeType)),
	}

	var entries []map[string]any
	for _, l := range b.withFreight(b.lines(o.GetLines(), fs.Unit), o.GetFreight(), fs) {
		e := map[string]any{
			"FMaterialId":   ref(l.src.GetMaterialNumber()),
			"FUnitID":       ref(l.unit),
			"FQty":          num(l.qty),
			"FTaxPrice":     num(l.price),
			"FEntryTaxRate": rate,
			"FIsFree":       l.src.GetIsGift(),
			"FDeliveryDate": delivery,
			"FStockOrgId":   ref(stock),
			"FSettleOrgIds": ref(settle),
			"FEntryNote":    l.src.GetName(),
		}
		if !l.discount.IsZero() {
			e["FDiscount"] = num(l.discount)
		}
		entries = append(entries, e)
	}
	m["FSaleOrderEntry"] = entries
	return m
}

func (b *builder) outStock(o *orderbridgev1.SalesOrder, fs FormSettings) map[string]any {
	date := b.date("send_date", o.GetSendDate(), o.GetOrderDate())
	sale, stockOrg, settle, cust := b.orderParties(o.GetParties())
	rate := num(b.dec("settings.TaxRate", fs.TaxRate))

	m := b.header(fs, o.GetBillNo(), date)
	m["FSaleOrgId"] = ref(sale)
	m["FStockOrgId"] = ref(stockOrg)
	m["FCustomerID"] = ref(cust)
	setRef(m, "FSalesManID", o.GetParties().GetSalespersonNumber())
	setRef(m, "FSaleDeptID", o.GetParties().GetDepartmentNumber())
	m["FNote"] = firstNonEmpty(o.GetNote(), o.GetSoId())
	m["SubHeadEntity"] = map[string]any{
		"FSettleCurrID":   ref(b.need("settings.Currency", fs.Currency)),
		"FExchangeTypeID": ref(b.need("settings.ExchangeType", fs.ExchangeType)),
		"FSettleOrgID":    ref(settle),
	}

	var entries []map[string]any
	for _, l := range b.withFreight(b.lines(o.GetLines(), fs.Unit), o.GetFreight(), fs) {
		e := map[string]any{
			"FMaterialID":   ref(l.src.GetMaterialNumber()),
			"FUnitID":       ref(l.unit),
			"FRealQty":      num(l.qty),
			"FTaxPrice":     num(l.price),
			"FEntryTaxRate": rate,
			"FIsFree":       l.src.GetIsGift(),
		}
		if !l.discount.IsZero() {
			e["FDiscount"] = num(l.discount)
		}
		if l.freight {
			entries = append(entries, e)
			continue
		}
		e["FStockID"] = ref(b.need(l.field+".stock_number",
			firstNonEmpty(l.src.GetStockNumber(), o.GetStockNumber())))
		e["FStockStatusID"] = ref(b.need("settings.StockStatus", fs.StockStatus))
		entries = append(entries, e)
	}
	m["FEntity"] = entries
	return m
}

// withFreight adds a freight line when the settings name a freight
// material and the freight is positive.
func (b *builder) withFreight(
	ls []line,
	freight *orderbridgev1.Decimal,
	fs FormSettings,
) []line {
	amount := b.nonNegative("freight", freight)
	if fs.FreightMaterial == "" || !amount.IsPositive() {
		return ls
	}
	src := &orderbridgev1.Line{MaterialNumber: fs.FreightMaterial, Name: "运费"}
	return append(ls, line{
		src: src, field: "freight", qty: decimal.NewFromInt(1),
		price: amount, unit: fs.Unit, freight: true,
	})
}

// setRef sets a base-data reference when number is not empty.
func setRef(m map[string]any, key, number string) {
	if number != "" {
		m[key] = ref(number)
	}
}
