/**
 * What the chosen interconnect means here: the real cluster's α and bandwidth, the similarity
 * ratio (this GPU's measured FLOP/s over the real GPU's peak) and the scaled figures the
 * emulator applies so the compute-to-communication ratio matches the real system.
 */
import { explainSimilarity } from '../core/explain';
import { LINK_PRESETS, resolveLink, type LinkConfig, type LinkSpec, type ResolvedLinks } from '../core/link';
import { formatBandwidth, formatDuration } from '../core/units';
import { el } from './dom';

const cost = (c: LinkSpec): string => `α ${formatDuration(c.alphaS)}, ${formatBandwidth(c.bandwidthBytesPerS)}`;

export class LinkInfo {
  readonly root = el('div', { class: 'link-info', 'data-testid': 'link-info' });

  /** Re-renders for a config, rank count and this GPU's FLOP/s (null while not measured). */
  update(config: LinkConfig, ranks: number, flopsPerS: number | null): void {
    if (config.link === 'none') {
      this.root.replaceChildren(el('div', {}, 'No emulated link: ranks exchange data through shared memory as fast as this machine allows.'));
      return;
    }
    let r: ResolvedLinks | null;
    try {
      r = resolveLink(config, ranks, flopsPerS);
    } catch (e) {
      this.root.replaceChildren(el('div', { class: 'error' }, e instanceof Error ? e.message : String(e)));
      return;
    }
    if (!r) return;
    const preset = config.link !== 'custom' ? LINK_PRESETS[config.link] : undefined;
    const lines: (HTMLElement | string)[] = [
      el(
        'div',
        {},
        el('strong', {}, 'Real: '),
        r.nodes > 1 ? `inside a node ${cost(r.real.intra)}; between ${r.nodes} nodes of ${r.ranksPerNode}: ${cost(r.real.inter)}` : cost(r.real.inter),
      ),
    ];
    if (preset) lines.push(el('div', { class: 'source' }, `Source: ${preset.source}`));
    if (r.scaled && r.ratio !== null && flopsPerS !== null) {
      const e = explainSimilarity(flopsPerS, config.gpu);
      lines.push(
        el('div', {}, el('strong', {}, 'Similarity ratio: '), e.substituted),
        el('div', {}, el('strong', {}, 'Scaled (applied): '), r.nodes > 1 ? `intra ${cost(r.scaled.intra)}; inter ${cost(r.scaled.inter)}` : cost(r.scaled.inter)),
        el('div', { class: 'source' }, e.note),
      );
    } else if (config.scaled) {
      lines.push(el('div', {}, 'Similarity ratio: measuring this GPU… (until then the real figures are applied)'));
    } else {
      lines.push(el('div', {}, 'Not scaled: the real figures are applied to this (much slower) GPU, so communication looks cheaper than on the real cluster.'));
    }
    this.root.replaceChildren(...lines);
  }
}
