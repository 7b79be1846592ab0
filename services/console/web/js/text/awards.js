// 评选 (award committee, reviewer, nominator) pages' text.
export default {
  'zh-CN': {
  },
  en: {
  },
};
