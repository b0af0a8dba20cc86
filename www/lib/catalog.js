// The engine's catalog (wasm `catalog()`): profiles, parameters and the modes that read them,
// limits, election strategies, partition states and downtime parts. Read once, after init(): the
// page keeps no copy of what the engine owns.
import { catalog as engineCatalog } from '../pkg/kafka_election.js';

let cached = null;
/** The catalog; call only after the wasm module is initialised (app.js awaits init() first). */
export const catalog = () => (cached ??= engineCatalog());

/** A partition state's name (the locale key's suffix) from its rowStates code. */
export const stateName = (code) => catalog().partition_states[code]?.name;
