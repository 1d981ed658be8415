package bill

// Kingdee form ids that Build knows.
const (
	FormSaleOrder   = "SAL_SaleOrder"
	FormOutStock    = "SAL_OUTSTOCK"
	FormReturnStock = "SAL_RETURNSTOCK"
	FormRefund      = "AR_REFUNDBILL"
)

// FormSettings are the per-form values a canonical document does not carry.
type FormSettings struct {
	// BillType is the FBillTypeID number: XSDD01_SYS, XSTHD01_SYS, ...
	BillType string
	// Currency is the settlement currency number, such as PRE001.
	Currency string
	// ExchangeType is the exchange-rate type number, such as HLTX01_SYS.
	ExchangeType string
	// TaxRate is the entry tax rate in percent, as a decimal string ("13").
	TaxRate string
	// Unit is the FUnitID number used when a line names none.
	Unit string
	// FreightMaterial is the service material of a freight line on orders;
	// "" leaves freight out of the bill.
	FreightMaterial string
	// ReturnType is the return type number of returns (THLX01_SYS).
	ReturnType string
	// StockStatus is the stock status of goods returned in good order;
	// DefectiveStockStatus that of the defective part of a line.
	StockStatus          string
	DefectiveStockStatus string
	// SettleType, Purpose and Account are the refund's settlement type,
	// purpose and bank account numbers; Account may be "".
	SettleType string
	Purpose    string
	Account    string
	// Precision is the number of decimal places of the amounts orderbridge
	// derives for the bill rather than copies from JST (a discount prorated
	// over a partial return). DefaultSettings gives 2.
	Precision int
	// SourceNoField, when set, is a custom field (such as F_OB_SourceNo)
	// that holds the bill number instead of FBillNo, for forms whose coding
	// rule refuses manual numbers.
	SourceNoField string
}

// Settings holds FormSettings by Kingdee form id.
type Settings map[string]FormSettings

// DefaultSettings returns the settings of a standard Kingdee account set
// for SAL_SaleOrder, SAL_OUTSTOCK, SAL_RETURNSTOCK and AR_REFUNDBILL, with
// freight left out and FBillNo holding the bill number.
func DefaultSettings() Settings {
	return Settings{
		FormSaleOrder: {
			BillType: "XSDD01_SYS", Currency: "PRE001", ExchangeType: "HLTX01_SYS",
			TaxRate: "13", Unit: "Pcs", Precision: 2,
		},
		FormOutStock: {
			BillType: "XSCKD01_SYS", Currency: "PRE001", ExchangeType: "HLTX01_SYS",
			TaxRate: "13", Unit: "Pcs", StockStatus: "KCZT01_SYS", Precision: 2,
		},
		FormReturnStock: {
			BillType: "XSTHD01_SYS", Currency: "PRE001", ExchangeType: "HLTX01_SYS",
			TaxRate: "13", Unit: "Pcs", ReturnType: "THLX01_SYS",
			StockStatus: "KCZT01_SYS", DefectiveStockStatus: "KCZT07_SYS",
			Precision: 2,
		},
		FormRefund: {
			BillType: "SKTKDLX01_SYS", Currency: "PRE001",
			SettleType: "JSFS04_SYS", Purpose: "SFKYT01_SYS", Precision: 2,
		},
	}
}
