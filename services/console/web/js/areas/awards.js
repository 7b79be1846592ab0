// 评选 (award committee, reviewer, nominator) area: its pages and navigation
// entries. Empty until the pages land.
export const pages = {};
export const nav = [];
export const home = { page: null, roles: [] };
