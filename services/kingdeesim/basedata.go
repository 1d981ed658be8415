package kingdeesim

// Kinds of base data (基础资料) the Sim knows by number.
const (
	kindOrg         = "org"
	kindCustomer    = "customer"
	kindMaterial    = "material"
	kindUnit        = "unit"
	kindStock       = "stock"
	kindStockStatus = "stockstatus"
	kindCurrency    = "currency"
	kindBillType    = "billtype"
	kindSettleType  = "settletype"
)

// AddMaterials adds material numbers to the base data.
func (s *Sim) AddMaterials(numbers ...string) { s.addBase(kindMaterial, numbers...) }

// AddCustomers adds customer numbers to the base data.
func (s *Sim) AddCustomers(numbers ...string) { s.addBase(kindCustomer, numbers...) }

// AddStocks adds warehouse numbers to the base data.
func (s *Sim) AddStocks(numbers ...string) { s.addBase(kindStock, numbers...) }

// AddOrgs adds organisation numbers to the base data.
func (s *Sim) AddOrgs(numbers ...string) { s.addBase(kindOrg, numbers...) }

func (s *Sim) addBase(kind string, numbers ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.base[kind] == nil {
		s.base[kind] = map[string]bool{}
	}
	for _, n := range numbers {
		s.base[kind][n] = true
	}
}

// hasBase reports whether number exists as kind; the caller holds s.mu.
func (s *Sim) hasBase(kind, number string) bool {
	return s.base[kind][number]
}
