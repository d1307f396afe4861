import Fastify, { type FastifyInstance } from 'fastify';
import type { Quirk } from '../../config.js';
import type { Dataset } from '../../data/index.js';
import { fhirPlugin } from '../plugin.js';
import { FakeVerifier } from './fake-verifier.js';
import { fixtureDataset } from './fixture-dataset.js';

/** The FHIR prefix, as `buildApp` registers the plugin. */
export const FHIR_PREFIX = '/api/fhir/r4';

/** A bare Fastify app with only the FHIR plugin, the fixture dataset and a {@link FakeVerifier}. */
export async function fixtureApp(
  dataset: Dataset = fixtureDataset(),
  quirks: ReadonlySet<Quirk> = new Set(),
): Promise<{ app: FastifyInstance; verifier: FakeVerifier }> {
  const verifier = new FakeVerifier();
  const app = Fastify();
  await app.register(fhirPlugin, {
    prefix: FHIR_PREFIX,
    dataset,
    verifier,
    clock: { now: () => Date.parse('2026-01-01T00:00:00Z') },
    publicUrl: undefined,
    quirks,
  });
  await app.ready();
  return { app, verifier };
}
