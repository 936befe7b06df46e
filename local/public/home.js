// The home page: both pages side by side, the run's modes, register's outcome and the activity log.
;(function () {
  const { h, fill, api, poll } = window.ui
  const $ = (id) => document.getElementById(id)
  let shownLog = ''

  async function refresh() {
    const o = await api('/api/overview')
    fill(
      $('modes'),
      h(
        'span',
        { class: `chip ${o.helperInterception ? 'on' : 'off'}` },
        `Helper interception ${o.helperInterception ? 'on: the bot talks first' : 'off: messages go straight to 4biz tickets'}`
      ),
      h(
        'span',
        { class: `chip ${o.push ? 'on' : 'off'}` },
        o.push ? '4biz pushes updates' : '4biz updates by scheduled pull only'
      ),
      h('span', { class: 'chip' }, `syncTicketUpdates every ${o.syncIntervalSeconds} s`),
      h('span', { class: 'chip' }, `language ${o.language}`)
    )
    $('register-error').hidden = !o.registerError
    $('register-error').textContent = o.registerError ? `The integration refused register: ${o.registerError}` : ''
    const last = o.log[o.log.length - 1]
    const key = last ? `${o.log.length} ${last.at} ${last.text}` : ''
    if (key !== shownLog) {
      shownLog = key
      const lines = $('log-lines')
      fill(
        lines,
        ...o.log.map((e) =>
          h(
            'div',
            { class: `log-line ${e.level}`, title: e.text },
            `${e.at.slice(11, 19)} `,
            h('span', { class: 'log-scope' }, `[${e.scope}]`),
            ` ${e.text}`
          )
        )
      )
      lines.scrollTop = lines.scrollHeight
    }
  }

  $('toggle-log').addEventListener('click', () => ($('log').hidden = !$('log').hidden))
  poll(refresh, 1500)
})()
