package tenant

// city is one row of the built-in geolocation table. Every IP the generator hands out belongs to
// exactly one city, which is how an IP keeps one location across all its events.
type city struct {
	cc, cc3, country, name string
	subCode, subName       string
	lat, lon               float64
	tz, continent          string
	// home weights where the tenant's own users live; attack weights where hostile traffic
	// comes from (including a few cloud regions in home countries).
	home, attack float64
}

// cities are real places with approximate coordinates: the tenant serves North America, Western
// Europe and a few other markets, and attacks come mostly from elsewhere.
var cities = []city{
	{"US", "USA", "United States", "New York", "NY", "New York", 40.7128, -74.006, "America/New_York", "NA", 9, 0},
	{"US", "USA", "United States", "San Francisco", "CA", "California", 37.7749, -122.4194, "America/Los_Angeles", "NA", 7, 0},
	{"US", "USA", "United States", "Chicago", "IL", "Illinois", 41.8781, -87.6298, "America/Chicago", "NA", 5, 0},
	{"US", "USA", "United States", "Austin", "TX", "Texas", 30.2672, -97.7431, "America/Chicago", "NA", 4, 0},
	{"US", "USA", "United States", "Seattle", "WA", "Washington", 47.6062, -122.3321, "America/Los_Angeles", "NA", 4, 0},
	{"US", "USA", "United States", "Atlanta", "GA", "Georgia", 33.749, -84.388, "America/New_York", "NA", 3, 0},
	{"US", "USA", "United States", "Boston", "MA", "Massachusetts", 42.3601, -71.0589, "America/New_York", "NA", 3, 0},
	{"US", "USA", "United States", "Ashburn", "VA", "Virginia", 39.0438, -77.4874, "America/New_York", "NA", 0, 1},
	{"CA", "CAN", "Canada", "Toronto", "ON", "Ontario", 43.6532, -79.3832, "America/Toronto", "NA", 4, 0},
	{"CA", "CAN", "Canada", "Vancouver", "BC", "British Columbia", 49.2827, -123.1207, "America/Vancouver", "NA", 2, 0},
	{"CA", "CAN", "Canada", "Montreal", "QC", "Quebec", 45.5019, -73.5674, "America/Toronto", "NA", 2, 0},
	{"GB", "GBR", "United Kingdom", "London", "ENG", "England", 51.5074, -0.1278, "Europe/London", "EU", 8, 0},
	{"GB", "GBR", "United Kingdom", "Manchester", "ENG", "England", 53.4808, -2.2426, "Europe/London", "EU", 2, 0},
	{"DE", "DEU", "Germany", "Berlin", "BE", "Berlin", 52.52, 13.405, "Europe/Berlin", "EU", 3, 0},
	{"DE", "DEU", "Germany", "Munich", "BY", "Bavaria", 48.1351, 11.582, "Europe/Berlin", "EU", 2, 0},
	{"DE", "DEU", "Germany", "Frankfurt am Main", "HE", "Hesse", 50.1109, 8.6821, "Europe/Berlin", "EU", 1.5, 1},
	{"FR", "FRA", "France", "Paris", "IDF", "Île-de-France", 48.8566, 2.3522, "Europe/Paris", "EU", 3, 0},
	{"FR", "FRA", "France", "Lyon", "ARA", "Auvergne-Rhône-Alpes", 45.764, 4.8357, "Europe/Paris", "EU", 1, 0},
	{"NL", "NLD", "Netherlands", "Amsterdam", "NH", "North Holland", 52.3676, 4.9041, "Europe/Amsterdam", "EU", 2, 1},
	{"IE", "IRL", "Ireland", "Dublin", "L", "Leinster", 53.3498, -6.2603, "Europe/Dublin", "EU", 1.5, 0},
	{"ES", "ESP", "Spain", "Madrid", "MD", "Madrid", 40.4168, -3.7038, "Europe/Madrid", "EU", 1.5, 0},
	{"AU", "AUS", "Australia", "Sydney", "NSW", "New South Wales", -33.8688, 151.2093, "Australia/Sydney", "OC", 2, 0},
	{"JP", "JPN", "Japan", "Tokyo", "13", "Tokyo", 35.6762, 139.6503, "Asia/Tokyo", "AS", 1, 0},
	{"MX", "MEX", "Mexico", "Mexico City", "CMX", "Mexico City", 19.4326, -99.1332, "America/Mexico_City", "NA", 1, 0},
	{"IN", "IND", "India", "Bengaluru", "KA", "Karnataka", 12.9716, 77.5946, "Asia/Kolkata", "AS", 1, 2},
	{"IN", "IND", "India", "Mumbai", "MH", "Maharashtra", 19.076, 72.8777, "Asia/Kolkata", "AS", 0.5, 3},
	{"BR", "BRA", "Brazil", "São Paulo", "SP", "São Paulo", -23.5505, -46.6333, "America/Sao_Paulo", "SA", 0.5, 6},
	{"BR", "BRA", "Brazil", "Rio de Janeiro", "RJ", "Rio de Janeiro", -22.9068, -43.1729, "America/Sao_Paulo", "SA", 0, 4},
	{"RU", "RUS", "Russia", "Moscow", "MOW", "Moscow", 55.7558, 37.6173, "Europe/Moscow", "EU", 0, 10},
	{"RU", "RUS", "Russia", "Saint Petersburg", "SPE", "Saint Petersburg", 59.9311, 30.3609, "Europe/Moscow", "EU", 0, 6},
	{"RU", "RUS", "Russia", "Novosibirsk", "NVS", "Novosibirsk Oblast", 55.0084, 82.9357, "Asia/Novosibirsk", "AS", 0, 3},
	{"CN", "CHN", "China", "Beijing", "BJ", "Beijing", 39.9042, 116.4074, "Asia/Shanghai", "AS", 0, 8},
	{"CN", "CHN", "China", "Shanghai", "SH", "Shanghai", 31.2304, 121.4737, "Asia/Shanghai", "AS", 0, 7},
	{"CN", "CHN", "China", "Shenzhen", "GD", "Guangdong", 22.5431, 114.0579, "Asia/Shanghai", "AS", 0, 5},
	{"VN", "VNM", "Vietnam", "Hanoi", "HN", "Hanoi", 21.0278, 105.8342, "Asia/Ho_Chi_Minh", "AS", 0, 7},
	{"VN", "VNM", "Vietnam", "Ho Chi Minh City", "SG", "Ho Chi Minh", 10.8231, 106.6297, "Asia/Ho_Chi_Minh", "AS", 0, 7},
	{"NG", "NGA", "Nigeria", "Lagos", "LA", "Lagos", 6.5244, 3.3792, "Africa/Lagos", "AF", 0, 6},
	{"NG", "NGA", "Nigeria", "Abuja", "FC", "Federal Capital Territory", 9.0765, 7.3986, "Africa/Lagos", "AF", 0, 3},
	{"ID", "IDN", "Indonesia", "Jakarta", "JK", "Jakarta", -6.2088, 106.8456, "Asia/Jakarta", "AS", 0, 5},
	{"TR", "TUR", "Turkey", "Istanbul", "34", "Istanbul", 41.0082, 28.9784, "Europe/Istanbul", "AS", 0, 3},
	{"UA", "UKR", "Ukraine", "Kyiv", "30", "Kyiv City", 50.4501, 30.5234, "Europe/Kyiv", "EU", 0, 2},
}

// datacenter is the city the tenant's own backend (the M2M client, admin scripts) runs in.
const datacenter = "Ashburn"

// agent is a user agent as Auth0 writes it: the parsed "Family x.y.z / OS x.y.z" form.
type agent struct {
	ua     string
	mobile bool
	weight float64
}

// Device kinds decide which client a device signs in to and which agents it can have.
const (
	deviceDesktop = iota
	deviceMobileWeb
	deviceIOS
	deviceAndroid
)

var deviceKindWeights = []float64{deviceDesktop: 52, deviceMobileWeb: 14, deviceIOS: 19, deviceAndroid: 15}

var agentsByDevice = [][]agent{
	deviceDesktop: {
		{"Chrome 126.0.0 / Windows 10.0.0", false, 25},
		{"Chrome 126.0.0 / Mac OS X 10.15.7", false, 12},
		{"Edge 126.0.0 / Windows 10.0.0", false, 8},
		{"Safari 17.5.0 / Mac OS X 10.15.7", false, 7},
		{"Firefox 127.0.0 / Windows 10.0.0", false, 4},
		{"Firefox 127.0.0 / Ubuntu 0.0.0", false, 1},
		{"Chrome 125.0.0 / Linux 0.0.0", false, 1},
	},
	deviceMobileWeb: {
		{"Mobile Safari 17.5.0 / iOS 17.5.1", true, 14},
		{"Chrome Mobile 126.0.0 / Android 14.0.0", true, 10},
		{"Samsung Internet 25.0.0 / Android 14.0.0", true, 3},
		{"Chrome Mobile iOS 126.0.0 / iOS 17.5.1", true, 2},
	},
	deviceIOS: {
		{"Other 0.0.0 / iOS 17.5.1", true, 6},
		{"Other 0.0.0 / iOS 17.4.1", true, 2},
		{"Other 0.0.0 / iOS 16.7.8", true, 1},
	},
	deviceAndroid: {
		{"Other 0.0.0 / Android 14.0.0", true, 5},
		{"Other 0.0.0 / Android 13.0.0", true, 3},
		{"Other 0.0.0 / Android 12.0.0", true, 1},
	},
}

// attackAgents are what scripted login traffic looks like: stale browsers and HTTP libraries.
var attackAgents = []agent{
	{"Chrome 91.0.4472 / Windows 10.0.0", false, 8},
	{"Chrome 87.0.4280 / Windows 10.0.0", false, 5},
	{"Firefox 78.0.0 / Windows 10.0.0", false, 3},
	{"HeadlessChrome 119.0.6045 / Linux 0.0.0", false, 3},
	{"python-requests 2.31.0 / Other 0.0.0", false, 4},
	{"curl 8.4.0 / Other 0.0.0", false, 2},
	{"Other 0.0.0 / Other 0.0.0", false, 3},
	{"Mobile Safari 13.1.2 / iOS 13.6.0", true, 2},
}

// serverAgent is how Auth0 renders a backend SDK's user agent (as in the recorded responses).
const serverAgent = "Other 0.0.0 / Other 0.0.0"

var firstNames = []string{
	"james", "mary", "robert", "patricia", "john", "jennifer", "michael", "linda", "david",
	"elizabeth", "william", "barbara", "richard", "susan", "joseph", "jessica", "thomas", "sarah",
	"chris", "karen", "daniel", "nancy", "matthew", "lisa", "anthony", "emma", "mark", "olivia",
	"paul", "sophie", "lukas", "lea", "hugo", "chloe", "liam", "noah", "aisha", "priya", "hiro",
	"mateo", "lucia", "oliver", "amelia", "jack", "isla", "ethan", "mia", "finn",
}

var lastNames = []string{
	"smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez",
	"martinez", "wilson", "anderson", "taylor", "thomas", "moore", "martin", "lee", "walker",
	"hall", "young", "king", "wright", "scott", "green", "baker", "adams", "nelson", "murphy",
	"kelly", "muller", "schmidt", "dubois", "bernard", "jansen", "dekker", "rossi", "patel",
	"sharma", "tanaka", "lopez", "evans", "roberts", "clarke", "byrne", "obrien", "fischer",
}

// userDomains are the mailbox providers of the tenant's database and passwordless users.
var userDomains = []struct {
	name   string
	weight float64
}{
	{"gmail.com", 38}, {"outlook.com", 12}, {"yahoo.com", 8}, {"icloud.com", 10},
	{"hotmail.com", 5}, {"proton.me", 3}, {"aol.com", 1}, {"gmx.de", 2}, {"orange.fr", 1},
}

// enterpriseDomain is the email domain of the one enterprise (SAML) customer.
const enterpriseDomain = "globex.example"

// leakDomains are typical of combo lists used for credential stuffing.
var leakDomains = []string{
	"gmail.com", "yahoo.com", "hotmail.com", "mail.ru", "yandex.ru", "qq.com", "163.com",
	"aol.com", "outlook.com", "web.de", "rambler.ru", "live.com", "icloud.com", "bk.ru",
}

// hourWeight shapes traffic over the UTC day: the tenant's users are mostly in North America and
// Europe, so the peak runs from the European afternoon into the American working day.
var hourWeight = [24]float64{
	0.78, 0.64, 0.52, 0.46, 0.46, 0.52, 0.66, 0.86, 1.04, 1.16, 1.22, 1.24,
	1.30, 1.44, 1.54, 1.56, 1.52, 1.42, 1.32, 1.22, 1.12, 1.02, 0.92, 0.84,
}
