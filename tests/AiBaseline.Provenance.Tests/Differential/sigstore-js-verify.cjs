// Reference verifier for the differential tests: verifies each bundle with sigstore-js (@sigstore/verify)
// under one trusted root and identity, and prints one JSON result per bundle.
// Usage: node sigstore-js-verify.cjs SIGSTORE_JS_DIR REQUEST.json
// REQUEST.json: {"root": "trusted_root.json", "identity": "...", "issuer": "...", "bundles": ["a.json", ...],
//                "tlogThreshold": 1, "ctlogThreshold": 1}  (thresholds optional: sigstore-js's defaults, 1, when absent)
'use strict';
const fs = require('fs');
const path = require('path');

const [dir, requestPath] = process.argv.slice(2);
const load = (name) => require(path.join(dir, 'node_modules', ...name.split('/')));
const { Verifier, toSignedEntity, toTrustMaterial } = load('@sigstore/verify');
const { bundleFromJSON } = load('@sigstore/bundle');
const { TrustedRoot } = load('@sigstore/protobuf-specs');

const request = JSON.parse(fs.readFileSync(requestPath, 'utf8'));
const trust = toTrustMaterial(TrustedRoot.fromJSON(JSON.parse(fs.readFileSync(request.root, 'utf8'))));
const verifier = new Verifier(trust, { tlogThreshold: request.tlogThreshold, ctlogThreshold: request.ctlogThreshold });
const policy = { subjectAlternativeName: request.identity, extensions: { issuer: request.issuer } };

const results = request.bundles.map((file) => {
  try {
    const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(file, 'utf8')));
    verifier.verify(toSignedEntity(bundle), policy);
    return { ok: true };
  } catch (e) {
    return { ok: false, error: `${e.code || e.name}: ${e.message}` };
  }
});
process.stdout.write(JSON.stringify(results));
