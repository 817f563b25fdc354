// Package models holds the JSON shapes shared with the frontend: the data source settings with
// their validation, and the query model with the defaults the backend applies itself (alert rules
// send queries without the frontend). It must not know about HTTP clients, Auth0 calls or frames.
package models
