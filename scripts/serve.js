#!/usr/bin/env node
// Stand-in for `bp serve`: runs the built integration on PORT (default 8072), in-process.
const path = require('node:path')
const port = Number(process.env.PORT || 8072)
const integration = require(path.join(__dirname, '../.botpress/dist/index.cjs')).default
integration.start(port).then(() => console.log(`Integration listening on http://localhost:${port} (health: /health)`))
