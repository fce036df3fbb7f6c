/** A topology module whose build throws: nimbus must reject its submission with this error. */
import type { BuiltTopology } from '../../distributed/topology-module.js';

export const BUILD_ERROR = 'the topology refuses to build: no spouts configured';

export default function throwsOnBuild(): BuiltTopology {
  throw new Error(BUILD_ERROR);
}
