//go:build !race

package plugin

// raceEnabled says the test binary was built with -race.
const raceEnabled = false
