// Hearth against the FHIR client libraries real applications use: fhir-kit-client and Medplum's
// MedplumClient (@medplum/core). Each library creates, reads, updates, searches and deletes a
// Patient, then posts a transaction (a urn:uuid Patient and an Observation whose subject refers
// to it: the answer must be a transaction-response and the stored Observation must refer to the
// created Patient's id) and a batch (a create, a read and a read of a missing resource, each
// answered on its own).
//
// Starts nothing: HEARTH_BASE_URL names a running server's FHIR base (http://127.0.0.1:PORT/fhir).
// Prints one line per case ("ok ..." / "FAIL ...: why") and a count; exit status 1 when a case
// failed, 2 without HEARTH_BASE_URL. Run by tools/test (full tier) against a fresh SQLite store.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MedplumClient } from '@medplum/core';
import FhirKitClient from 'fhir-kit-client';

const base = process.env.HEARTH_BASE_URL;
if (!base) {
  console.error('clients_test: set HEARTH_BASE_URL, e.g. http://127.0.0.1:8080/fhir');
  process.exit(2);
}
const baseUrl = new URL(base);
const run = `${Date.now().toString(36)}${process.pid}`;

const cases = [];
const test = (name, fn) => cases.push({ name, fn });

// "Patient/1/_history/2" or an absolute URL ending so -> { type, id, version }.
function parseLocation(location) {
  const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([^/]+))?$/.exec(
    location ?? '',
  );
  assert.ok(m, `location '${location}' names no resource`);
  return { type: m[1], id: m[2], version: m[3] };
}

function transactionBundle(family) {
  const patientUrl = `urn:uuid:${randomUUID()}`;
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: patientUrl,
        resource: { resourceType: 'Patient', name: [{ family, given: ['Tx'] }], gender: 'female' },
        request: { method: 'POST', url: 'Patient' },
      },
      {
        fullUrl: `urn:uuid:${randomUUID()}`,
        resource: {
          resourceType: 'Observation',
          status: 'final',
          code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
          subject: { reference: patientUrl },
          effectiveDateTime: '2024-05-01T10:00:00Z',
          valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
        },
        request: { method: 'POST', url: 'Observation' },
      },
    ],
  };
}

// Checks a transaction-response to transactionBundle() and returns the two created ids.
function checkTransactionResponse(response) {
  assert.equal(response.resourceType, 'Bundle');
  assert.equal(response.type, 'transaction-response');
  assert.equal(response.entry?.length, 2, 'one response entry per request entry');
  const [patient, observation] = response.entry.map((e) => {
    assert.match(e.response?.status ?? '', /^201/, 'each entry created');
    return parseLocation(e.response.location);
  });
  assert.equal(patient.type, 'Patient');
  assert.equal(observation.type, 'Observation');
  return { patientId: patient.id, observationId: observation.id };
}

function batchBundle(family, existingPatientId) {
  return {
    resourceType: 'Bundle',
    type: 'batch',
    entry: [
      {
        resource: { resourceType: 'Patient', name: [{ family, given: ['Batch'] }] },
        request: { method: 'POST', url: 'Patient' },
      },
      { request: { method: 'GET', url: `Patient/${existingPatientId}` } },
      { request: { method: 'GET', url: `Patient/missing-${run}` } },
    ],
  };
}

function checkBatchResponse(response, existingPatientId) {
  assert.equal(response.resourceType, 'Bundle');
  assert.equal(response.type, 'batch-response');
  assert.equal(response.entry?.length, 3);
  const [created, read, missing] = response.entry;
  assert.match(created.response?.status ?? '', /^201/);
  assert.equal(parseLocation(created.response.location).type, 'Patient');
  assert.match(read.response?.status ?? '', /^200/);
  assert.equal(read.resource?.id, existingPatientId);
  assert.match(missing.response?.status ?? '', /^404/, 'a failed entry fails alone in a batch');
}

// --- fhir-kit-client ----------------------------------------------------------------------------
{
  const client = new FhirKitClient({ baseUrl: base });
  const family = `Fkc${run}`;
  let id;
  test('fhir-kit-client capabilityStatement', async () => {
    const cs = await client.capabilityStatement();
    assert.equal(cs.resourceType, 'CapabilityStatement');
    assert.equal(cs.fhirVersion, '4.0.1');
  });
  test('fhir-kit-client create', async () => {
    const created = await client.create({
      resourceType: 'Patient',
      body: { resourceType: 'Patient', name: [{ family, given: ['Kit'] }], birthDate: '1970-01-02' },
    });
    assert.equal(created.resourceType, 'Patient');
    assert.ok(created.id, 'created resource has an id');
    assert.equal(created.meta?.versionId, '1');
    id = created.id;
  });
  test('fhir-kit-client read', async () => {
    const read = await client.read({ resourceType: 'Patient', id });
    assert.equal(read.id, id);
    assert.equal(read.name[0].family, family);
  });
  test('fhir-kit-client update', async () => {
    const body = { resourceType: 'Patient', id, name: [{ family, given: ['Kit', 'Updated'] }] };
    const updated = await client.update({ resourceType: 'Patient', id, body });
    assert.equal(updated.meta?.versionId, '2');
    const read = await client.read({ resourceType: 'Patient', id });
    assert.deepEqual(read.name[0].given, ['Kit', 'Updated']);
  });
  test('fhir-kit-client search', async () => {
    const bundle = await client.search({ resourceType: 'Patient', searchParams: { family } });
    assert.equal(bundle.type, 'searchset');
    assert.deepEqual(
      bundle.entry.map((e) => e.resource.id),
      [id],
    );
  });
  test('fhir-kit-client transaction', async () => {
    const response = await client.transaction({ body: transactionBundle(`${family}tx`) });
    const { patientId, observationId } = checkTransactionResponse(response);
    const observation = await client.read({ resourceType: 'Observation', id: observationId });
    assert.equal(observation.subject.reference, `Patient/${patientId}`);
    const patient = await client.read({ resourceType: 'Patient', id: patientId });
    assert.equal(patient.name[0].family, `${family}tx`);
  });
  test('fhir-kit-client batch', async () => {
    checkBatchResponse(await client.batch({ body: batchBundle(`${family}batch`, id) }), id);
  });
  test('fhir-kit-client delete', async () => {
    await client.delete({ resourceType: 'Patient', id });
    await assert.rejects(client.read({ resourceType: 'Patient', id }), (err) => {
      assert.equal(err.response?.status, 410);
      return true;
    });
  });
}

// --- Medplum ------------------------------------------------------------------------------------
{
  // MedplumClient joins baseUrl and fhirUrlPath (default "fhir/R4"); Hearth's base is /fhir.
  const medplum = new MedplumClient({
    baseUrl: `${baseUrl.origin}/`,
    fhirUrlPath: baseUrl.pathname.replace(/^\/+|\/+$/g, ''),
    fetch: (url, options) => fetch(url, options),
    cacheTime: 0, // every read goes to the server
  });
  const family = `Med${run}`;
  let patient;
  test('medplum createResource', async () => {
    patient = await medplum.createResource({
      resourceType: 'Patient',
      name: [{ family, given: ['Plum'] }],
      telecom: [{ system: 'email', value: 'plum@example.org' }],
    });
    assert.ok(patient.id);
    assert.equal(patient.meta?.versionId, '1');
  });
  test('medplum readResource', async () => {
    const read = await medplum.readResource('Patient', patient.id);
    assert.equal(read.name[0].family, family);
  });
  test('medplum updateResource', async () => {
    const updated = await medplum.updateResource({ ...patient, gender: 'other' });
    assert.equal(updated.gender, 'other');
    assert.equal(updated.meta?.versionId, '2');
    const history = await medplum.readHistory('Patient', patient.id);
    assert.equal(history.type, 'history');
    assert.equal(history.entry.length, 2);
  });
  test('medplum searchResources', async () => {
    const found = await medplum.searchResources('Patient', { family });
    assert.deepEqual(
      found.map((p) => p.id),
      [patient.id],
    );
    const one = await medplum.searchOne('Patient', { family });
    assert.equal(one?.id, patient.id);
  });
  test('medplum executeBatch (transaction)', async () => {
    const response = await medplum.executeBatch(transactionBundle(`${family}tx`));
    const { patientId, observationId } = checkTransactionResponse(response);
    const observation = await medplum.readResource('Observation', observationId);
    assert.equal(observation.subject.reference, `Patient/${patientId}`);
  });
  test('medplum executeBatch (batch)', async () => {
    checkBatchResponse(await medplum.executeBatch(batchBundle(`${family}batch`, patient.id)), patient.id);
  });
  test('medplum deleteResource', async () => {
    await medplum.deleteResource('Patient', patient.id);
    await assert.rejects(medplum.readResource('Patient', patient.id));
  });
}

let failed = 0;
for (const { name, fn } of cases) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (err) {
    failed += 1;
    const status = err.response?.status ?? err.outcome?.issue?.[0]?.code;
    const detail =
      err.response?.data?.issue?.[0]?.diagnostics ?? err.outcome?.issue?.[0]?.diagnostics ?? '';
    console.log(`FAIL ${name}: ${err.message ?? 'request failed'}${status ? ` [${status}]` : ''}${detail ? ` ${detail}` : ''}`);
  }
}
console.log(`clients_test: ${cases.length - failed} of ${cases.length} cases passed against ${base}`);
process.exit(failed ? 1 : 0);
