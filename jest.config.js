// The scaffold's transform does not match .mjs, and d3-color 3.1.1 ships only .mjs.
process.env.TZ = 'UTC';
const base = require('./.config/jest.config');
const swc = base.transform['^.+\\.(t|j)sx?$'];
module.exports = { ...base, transform: { ...base.transform, '^.+\\.mjs$': swc } };
