package emulator

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEncodeEventMergesExtraWithoutDuplicates(t *testing.T) {
	e := &event.Event{LogID: "1", Type: "s", Date: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		Extra: map[string]json.RawMessage{
			"tenant_name": json.RawMessage(`"acme"`),
			"_id":         json.RawMessage(`"other"`), // already written from log_id
			"type":        json.RawMessage(`"x"`),     // already a struct field
			"broken":      json.RawMessage(`{`),       // never corrupts the response
		}}
	var buf bytes.Buffer
	require.NoError(t, encodeEvent(&buf, e, nil))
	require.True(t, json.Valid(buf.Bytes()), buf.String())
	assert.JSONEq(t, `{"_id":"1","log_id":"1","date":"2024-01-02T03:04:05.000Z","type":"s","tenant_name":"acme"}`, buf.String())
}

func TestEncodeEventProjectionKeepsOrder(t *testing.T) {
	e := &event.Event{LogID: "1", Type: "s", UserID: "u", Extra: map[string]json.RawMessage{"z": json.RawMessage(`1`)}}
	var buf bytes.Buffer
	require.NoError(t, encodeEvent(&buf, e, &projection{names: []string{"user_id", "date"}, include: true}))
	assert.Equal(t, `{"date":"0001-01-01T00:00:00.000Z","user_id":"u"}`, buf.String())
	buf.Reset()
	require.NoError(t, encodeEvent(&buf, e, &projection{names: []string{"user_id", "date"}, include: false}))
	assert.Equal(t, `{"_id":"1","log_id":"1","type":"s","z":1}`, buf.String())
}

func TestEncodeLogsEmpty(t *testing.T) {
	body, err := encodeLogs(nil, nil, false, 0, 50)
	require.NoError(t, err)
	assert.Equal(t, "[]", string(body))
	body, err = encodeLogs(nil, nil, true, 100, 50)
	require.NoError(t, err)
	assert.Equal(t, `{"start":100,"limit":50,"length":0,"total":0,"logs":[]}`, string(body))
}
