package jstsim

// product is a line of the generated catalogue: a style (i_id) sold in the
// variants its property lists give.
type product struct {
	name   string
	price  string // list price, two decimals
	colors []string
	sizes  []string // empty: one size
	spec   string   // property name for sizes: 尺码 or 规格
}

var products = []product{
	{"户外厚款羽绒服", "594.00", []string{"蓝色", "黑色", "米白"}, []string{"S", "M", "L", "XL"}, "尺码"},
	{"轻薄防风夹克", "259.00", []string{"军绿", "藏青"}, []string{"M", "L", "XL"}, "尺码"},
	{"速干运动T恤", "89.90", []string{"白色", "灰色", "黑色"}, []string{"S", "M", "L"}, "尺码"},
	{"加绒冲锋衣", "429.00", []string{"红色", "深蓝"}, []string{"M", "L", "XL", "XXL"}, "尺码"},
	{"保暖抓绒背心", "139.00", []string{"卡其", "黑色"}, []string{"M", "L"}, "尺码"},
	{"登山徒步鞋", "368.00", []string{"棕色", "灰色"}, []string{"39", "40", "41", "42", "43"}, "尺码"},
	{"纯棉休闲长裤", "159.90", []string{"卡其", "黑色"}, []string{"29", "30", "31", "32"}, "尺码"},
	{"羊毛针织围巾", "99.00", []string{"酒红", "燕麦色"}, nil, ""},
	{"防晒冰丝袖套", "29.90", []string{"白色", "黑色", "粉色"}, nil, ""},
	{"多功能双肩包", "199.00", []string{"黑色", "灰色"}, []string{"20L", "30L"}, "规格"},
	{"不锈钢保温杯", "79.00", []string{"银色", "墨绿"}, []string{"350ml", "500ml"}, "规格"},
	{"露营折叠椅", "149.00", []string{"军绿", "卡其"}, nil, ""},
}

// giftProduct is given away at price 0 on some orders.
var giftProduct = product{"品牌贴纸套装(赠品)", "9.90", []string{"混色"}, nil, ""}

var shopBrands = []string{"北岭户外", "青禾生活", "山野集", "拾光服饰", "远行家"}

var shopPlatforms = []string{"抖音旗舰店", "天猫旗舰店", "京东自营店", "拼多多专卖店", "快手小店"}

var surnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙"}

var givenNames = []string{
	"伟", "芳", "娜", "秀英", "敏", "静", "磊", "洋",
	"艳", "勇", "军", "杰", "婷", "强", "丽",
}

// region is a province, city and district of a generated address.
type region struct{ state, city, district string }

var regions = []region{
	{"浙江省", "杭州市", "滨江区"},
	{"浙江省", "宁波市", "鄞州区"},
	{"江苏省", "南京市", "鼓楼区"},
	{"上海", "上海市", "浦东新区"},
	{"广东省", "深圳市", "南山区"},
	{"北京", "北京市", "朝阳区"},
	{"四川省", "成都市", "武侯区"},
	{"湖北省", "武汉市", "洪山区"},
}

var streets = []string{"江南大道", "人民路", "中山路", "解放路", "科技园路", "长江路", "建设路"}

var carriers = []struct{ name, prefix string }{
	{"顺丰速运", "SF"},
	{"中通快递", "ZT"},
	{"圆通速递", "YT"},
	{"韵达快递", "YD"},
	{"极兔速递", "JT"},
}

var orderLabels = []string{"", "", "", "", "加急", "预售", "ShopDown", "老客户"}

var orderRemarks = []string{"", "", "", "客户要求顺丰", "已电话确认地址", "赠品随单发"}

var buyerMessages = []string{"", "", "", "请尽快发货", "不要放快递柜", "送人的,不要放发票"}

var questionTypes = []string{"不喜欢/效果不好", "尺码不合适", "质量问题", "发错货", "七天无理由", "少件/漏发"}

// warehouse is a company warehouse that receives returns.
type warehouse struct {
	wmsCoID int64
	name    string // of its returns store (wh_id 2)
}

var warehouseNames = []string{"滨江销退仓", "萧山销退仓"}

// sellerRemarks are remarks a seller writes on an order after it is placed.
var sellerRemarks = []string{
	"客户要求顺丰", "已电话确认地址", "赠品随单发", "已改地址", "客户催发货", "合并发货",
}

// afterSaleRemarks are remarks written on an after-sale while it is handled.
var afterSaleRemarks = []string{
	"已联系买家", "等待退货入仓", "买家补充凭证", "仓库已签收", "已核对商品",
}
