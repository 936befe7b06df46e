import * as bp from '.botpress'
export default new bp.Integration({
  register: async () => {},
  unregister: async () => {},
  handler: async () => {},
  actions: {} as any,
  channels: {} as any,
})
