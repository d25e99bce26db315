import { runMcpBench } from './mcpBench';

// `node out/bench/mcpBench.main.js`: the MCP section alone.
runMcpBench({ sizes: [1_000, 10_000], seed: 11, queries: 100, log: (l) => console.log(l) }).catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
