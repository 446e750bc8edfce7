// Network levels as the guide names them (Table 1), and the level beyond Poor.
export const LEVEL_LABEL = { good: 'Good', medium: 'Medium', poor: 'Poor', bad: 'Bad' };
export const levelLabel = (level) => LEVEL_LABEL[level] ?? '—';
