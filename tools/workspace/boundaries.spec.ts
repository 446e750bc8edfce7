import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Graph {
  nodes: Record<string, { type: 'app' | 'lib'; data: { tags?: string[] } }>;
  dependencies: Record<string, Array<{ target: string }>>;
}

/** The project graph as Nx computes it from the imports of every file (specs included). */
function projectGraph(): Graph {
  const file = join(mkdtempSync(join(tmpdir(), 'nx-graph-')), 'graph.json');
  execFileSync(process.execPath, ['node_modules/nx/dist/bin/nx.js', 'graph', `--file=${file}`], {
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    stdio: 'ignore',
  });
  return (JSON.parse(readFileSync(file, 'utf8')) as { graph: Graph }).graph;
}

describe('project boundaries', () => {
  const graph = projectGraph();
  const tag = (name: string, prefix: string) => graph.nodes[name]?.data.tags?.filter((t) => t.startsWith(prefix)) ?? [];
  const edges = Object.entries(graph.dependencies).flatMap(([source, deps]) =>
    deps.filter((d) => graph.nodes[d.target]).map((d) => ({ source, target: d.target })),
  );

  it('knows the four services and the browser edge, each standing on the platform', () => {
    const apps = Object.keys(graph.nodes).filter((n) => tag(n, 'type:').includes('type:app'));
    expect(apps.sort()).toEqual(['agent-svc', 'call-svc', 'edge-svc', 'quality-svc', 'tenant-svc']);
    for (const app of apps) expect(edges).toContainEqual({ source: app, target: 'platform' });
  });

  it('tags every project with exactly one scope and one type (the lint rule reads them)', () => {
    const untagged = Object.keys(graph.nodes).filter((n) => tag(n, 'scope:').length !== 1 || tag(n, 'type:').length !== 1);
    expect(untagged).toEqual([]);
  });

  it('has no dependency cycles between projects', () => {
    const next = (n: string) => edges.filter((e) => e.source === n).map((e) => e.target);
    const cycles: string[] = [];
    const visit = (n: string, path: string[]) => {
      if (path.includes(n)) return void cycles.push([...path.slice(path.indexOf(n)), n].join(' -> '));
      if (path.length > 20) return;
      for (const m of next(n)) visit(m, [...path, n]);
    };
    for (const n of Object.keys(graph.nodes)) visit(n, []);
    expect([...new Set(cycles)]).toEqual([]);
  });
});
