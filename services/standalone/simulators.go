package standalone

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/orderbridge/orderbridge/pkg/mapping"
	"github.com/orderbridge/orderbridge/services/jstsim"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
	"github.com/orderbridge/orderbridge/services/poller"
	"github.com/orderbridge/orderbridge/services/writer"
)

// DemoStock is the Kingdee warehouse the demo rules send goods to.
const DemoStock = "CK001"

// Simulators are both ERP simulators served on loopback.
type Simulators struct {
	JST        *jstsim.Sim
	Kingdee    *kingdeesim.Sim
	JSTURL     string
	KingdeeURL string
	servers    []*http.Server
}

// StartSimulators serves a JST simulator made with jopts and a Kingdee
// simulator made with kopts on free loopback ports. The Kingdee simulator
// is seeded with the JST simulator's SKUs as materials and a customer per
// shop, as DemoRules names them.
func StartSimulators(jopts jstsim.Options, kopts kingdeesim.Options) (*Simulators, error) {
	s := &Simulators{JST: jstsim.New(jopts), Kingdee: kingdeesim.New(kopts)}
	for _, sku := range s.JST.SKUs() {
		s.Kingdee.AddMaterials(sku.ID)
	}
	for _, shop := range s.JST.Shops() {
		s.Kingdee.AddCustomers(DemoCustomer(shop.ID))
	}
	s.Kingdee.AddStocks(DemoStock)

	var err error
	if s.JSTURL, err = s.serve(s.JST); err != nil {
		s.Close()
		return nil, err
	}
	if s.KingdeeURL, err = s.serve(s.Kingdee); err != nil {
		s.Close()
		return nil, err
	}
	s.KingdeeURL += "/k3cloud/"
	return s, nil
}

func (s *Simulators) serve(h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	s.servers = append(s.servers, srv)
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), nil
}

// Close stops both simulators' servers.
func (s *Simulators) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, srv := range s.servers {
		_ = srv.Shutdown(ctx)
	}
}

// DemoCustomer is the Kingdee customer number the demo gives a JST shop.
func DemoCustomer(shopID string) string { return "CUST-" + shopID }

// DemoRules are the default mapping rules with a shop table covering
// every shop of the JST simulator.
func (s *Simulators) DemoRules() mapping.Rules {
	r := mapping.DefaultRules()
	r.Version = "demo-1"
	r.Shops = map[string]mapping.Shop{}
	for _, shop := range s.JST.Shops() {
		r.Shops[shop.ID] = mapping.Shop{Customer: DemoCustomer(shop.ID), SaleOrg: "100"}
	}
	r.DefaultStock = DemoStock
	return r
}

// PointAt sets the ERP endpoints and credentials of the poller and writer
// configurations to the simulators'.
func (s *Simulators) PointAt(pc *poller.Config, wc *writer.Config) {
	jo := s.JST.Options()
	pc.API, pc.BaseURL = "openapi", s.JSTURL
	pc.AppKey, pc.AppSecret, pc.AccessToken = jo.AppKey, jo.AppSecret, jo.AccessToken
	pc.StartTime = jo.Now().Add(-jo.Span - time.Hour)

	wc.Kingdee.BaseURL = s.KingdeeURL
	wc.Kingdee.Auth = "password"
	wc.Kingdee.AcctID = kingdeesim.DefaultAcctID
	wc.Kingdee.Username = kingdeesim.DefaultUsername
	wc.Kingdee.Password = kingdeesim.DefaultPassword
}
