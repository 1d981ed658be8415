package bill

import (
	"fmt"
	"maps"

	"github.com/shopspring/decimal"

	orderbridgev1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
)

func buildAfterSale(a *orderbridgev1.AfterSale, s Settings) (*Bill, error) {
	form := a.GetFormId()
	fs, err := settingsFor(s, form, FormReturnStock, FormRefund)
	if err != nil {
		return nil, fmt.Errorf("bill: %s: %w", a.GetBillNo(), err)
	}
	b := newBuilder(a.GetBillNo(), "aftersale", a.GetSource().GetId())

	var m map[string]any
	if form == FormRefund {
		m = b.refund(a, fs)
	} else {
		m = b.returnStock(a, fs)
	}
	if b.err != nil {
		return nil, b.err
	}
	return &Bill{FormID: form, BillNo: a.GetBillNo(), Model: m}, nil
}

func (b *builder) returnStock(a *orderbridgev1.AfterSale, fs FormSettings) map[string]any {
	date := b.date("confirm_date", a.GetConfirmDate(), a.GetAsDate())
	sale, stockOrg, _, cust := b.orderParties(a.GetParties())
	rate := num(b.dec("settings.TaxRate", fs.TaxRate))

	m := b.header(fs, a.GetBillNo(), date)
	m["FSaleOrgId"] = ref(sale)
	m["FStockOrgId"] = ref(stockOrg)
	m["FRetcustId"] = ref(cust)
	m["SubHeadEntity"] = map[string]any{
		"FSettleCurrId": ref(b.need("settings.Currency", fs.Currency)),
	}

	var entries []map[string]any
	for _, l := range b.lines(a.GetLines(), fs.Unit) {
		stock := firstNonEmpty(l.src.GetStockNumber(), a.GetStockNumber())
		base := map[string]any{
			"FMaterialId":   ref(l.src.GetMaterialNumber()),
			"FUnitID":       ref(l.unit),
			"FTaxPrice":     num(l.price),
			"FEntryTaxRate": rate,
			"FIsFree":       l.src.GetIsGift(),
			"FReturnType":   ref(b.need("settings.ReturnType", fs.ReturnType)),
			"FStockId":      ref(b.need(l.field+".stock_number", stock)),
		}

		bad := b.nonNegative(l.field+".defective_qty", l.src.GetDefectiveQty())
		if bad.GreaterThan(l.qty) {
			b.fail(l.field+".defective_qty", bad.String(),
				"more than the quantity "+l.qty.String())
		}
		if good := l.qty.Sub(bad); good.IsPositive() {
			status := b.need("settings.StockStatus", fs.StockStatus)
			entries = append(entries, returnPart(base, good, status))
		}
		if bad.IsPositive() {
			status := b.need("settings.DefectiveStockStatus", fs.DefectiveStockStatus)
			entries = append(entries, returnPart(base, bad, status))
		}
	}
	m["FEntity"] = entries
	return m
}

func (b *builder) refund(a *orderbridgev1.AfterSale, fs FormSettings) map[string]any {
	date := b.date("confirm_date", a.GetConfirmDate(), a.GetAsDate())
	sale, _, settle, cust := b.orderParties(a.GetParties())
	amount := b.nonNegative("refund", a.GetRefund())
	if !amount.IsPositive() {
		b.fail("refund", a.GetRefund().GetValue(), "must be positive")
	}

	m := b.header(fs, a.GetBillNo(), date)
	m["FCONTACTUNITTYPE"] = "BD_Customer"
	m["FCONTACTUNIT"] = ref(cust)
	m["FRECTUNITTYPE"] = "BD_Customer"
	m["FRECTUNIT"] = ref(cust)
	m["FSETTLEORGID"] = ref(settle)
	m["FSALEORGID"] = ref(sale)
	m["FPAYORGID"] = ref(settle)
	m["FCURRENCYID"] = ref(b.need("settings.Currency", fs.Currency))

	entry := map[string]any{
		"FSETTLETYPEID":      ref(b.need("settings.SettleType", fs.SettleType)),
		"FPURPOSEID":         ref(b.need("settings.Purpose", fs.Purpose)),
		"FREFUNDAMOUNTFOR_E": num(amount),
	}
	setRef(entry, "FACCOUNTID", fs.Account)
	m["FREFUNDBILLENTRY"] = []map[string]any{entry}
	return m
}

// returnPart is one return entry: base with a quantity and a stock status.
func returnPart(base map[string]any, qty decimal.Decimal, status string) map[string]any {
	e := maps.Clone(base)
	e["FRealQty"] = num(qty)
	e["FStockstatusId"] = ref(status)
	return e
}
