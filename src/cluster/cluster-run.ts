/**
 * One experiment on a fresh cluster (a sweep, a training run): it owns the cluster from start
 * to teardown, `cancel()` stops every rank at its next wait, and any failure becomes a result
 * naming the rank to blame rather than an exception.
 */
import { Cluster, failure, type ClusterOptions } from './cluster';

export type EndStatus = 'cancelled' | 'failed';

export abstract class ClusterRun {
  protected cluster: Cluster | undefined;
  protected cancelled = false;

  cancel(): void {
    this.cancelled = true;
    this.cluster?.cancel();
  }

  /**
   * Creates the cluster, runs `body` on it and always destroys it. A cancel (before or during)
   * or a failure ends through `ended`, which builds the result from what was gathered so far.
   */
  protected async withCluster<R>(
    ranks: number,
    options: ClusterOptions,
    body: (cluster: Cluster) => Promise<R>,
    ended: (status: EndStatus, why?: { error: string; failedRank?: number }) => R,
  ): Promise<R> {
    try {
      const cluster = await Cluster.create(ranks, options);
      this.cluster = cluster;
      if (this.cancelled) return ended('cancelled');
      return await body(cluster);
    } catch (e) {
      return this.cancelled ? ended('cancelled') : ended('failed', failure(e));
    } finally {
      await this.cluster?.destroy();
      this.cluster = undefined;
    }
  }
}
