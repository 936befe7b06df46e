// The Messenger page: you are a Messenger user writing to the Page. What you send goes, through the
// local server, to the integration as Meta's signed webhook; what you see is what the Page sent through
// the Graph API (the Graph fake's record), drawn as Messenger draws it.
;(function () {
  const { h, fill, api, post, linkified, poll } = window.ui
  const $ = (id) => document.getElementById(id)
  let page = { name: 'Page' }
  let users = []
  const params = new URLSearchParams(location.search)
  let psid = params.get('psid')
  let shown = ''
  let profile = {}
  // the user's Messenger locale picks the greeting and the menu (Meta: exact locale, else "default")
  const locale = (params.get('locale') || navigator.language || 'default').replace('-', '_')
  const REACTIONS = ['❤', '😆', '😮', '😢', '😠', '👍']

  async function start() {
    const data = await api('/api/messenger/users')
    page = data.page
    users = data.users
    profile = data.profile || {}
    if (!users.some((u) => u.psid === psid)) psid = users[0].psid
    $('page-name').textContent = page.name
    $('page-avatar').src = '/static/page-avatar.svg'
    renderUsers()
    poll(refresh, 700)
    // a failed register means Botpress never enabled the integration: say so instead of a silent Page
    const overview = await api('/api/overview')
    $('register-banner').hidden = !overview.registerError
    $('register-banner').textContent = overview.registerError
      ? `The Page is not connected: the integration refused register — ${overview.registerError}`
      : ''
  }

  function renderUsers() {
    const me = users.find((u) => u.psid === psid)
    $('chatting-as').textContent = `You are ${me.name} (PSID ${me.psid})`
    fill(
      $('users'),
      ...users.map((u) =>
        h(
          'button',
          {
            class: `user-row${u.psid === psid ? ' selected' : ''}`,
            'data-psid': u.psid,
            type: 'button',
            title: u.name,
            onClick: () => choose(u.psid),
          },
          h('img', { class: 'avatar', src: u.pictureUrl, alt: '' }),
          h(
            'span',
            { class: 'user-text' },
            h('div', { class: 'user-name' }, u.name),
            h('div', { class: 'muted small' }, `PSID ${u.psid}`)
          )
        )
      )
    )
  }

  function choose(next) {
    psid = next
    shown = ''
    history.replaceState(null, '', `?psid=${encodeURIComponent(psid)}`)
    renderUsers()
    refresh()
  }

  async function refresh() {
    const forUser = psid
    const data = await api(`/api/messenger/conversation?psid=${encodeURIComponent(forUser)}`)
    const json = JSON.stringify(data)
    if (forUser !== psid || json === shown) return
    shown = json
    profile = data.profile || {}
    renderThread(data.items)
    renderMenu()
  }

  function renderThread(items) {
    const thread = $('thread')
    const welcome = !items.length && (profile.get_started || profile.ice_breakers)
    // the welcome screen of a new user; the composer stays, as on messenger.com (the phone apps hide it until Get Started)
    if (welcome) fill(thread, welcomeScreen())
    else if (!items.length) {
      fill(
        thread,
        h(
          'div',
          { class: 'empty muted' },
          h('p', {}, `Say hello to ${page.name}.`),
          h('p', { class: 'small' }, 'Everything you send reaches the integration as a webhook signed like Meta’s.')
        )
      )
    } else {
      const rows = []
      items.forEach((item, i) => {
        const previous = items[i - 1]
        // as Messenger: a time header on the first message and after a pause of 15 minutes or more
        if (!previous || item.at - previous.at >= 15 * 60_000)
          rows.push(h('div', { class: 'timestamp muted', 'data-at': item.at }, when(item.at)))
        rows.push(item.from === 'user' ? userMessage(item) : pageMessage(item, items[i + 1]))
      })
      fill(thread, rows)
      thread.querySelectorAll('.carousel-wrap').forEach(updateArrows)
    }
    renderQuickReplies(items[items.length - 1])
    thread.scrollTop = thread.scrollHeight
  }

  function when(at) {
    const d = new Date(at)
    const today = new Date().toDateString() === d.toDateString()
    const hm = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    return today ? hm : `${d.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' })} ${hm}`
  }

  /** Meta's locale match: the user's exact locale, else the "default" entry. */
  const forLocale = (list) =>
    (list || []).find((x) => x.locale === locale) || (list || []).find((x) => x.locale === 'default')

  function personalised(text) {
    const me = users.find((u) => u.psid === psid) || {}
    return String(text)
      .replaceAll('{{user_first_name}}', me.firstName || '')
      .replaceAll('{{user_last_name}}', me.lastName || '')
      .replaceAll('{{user_full_name}}', me.name || '')
  }

  const getStartedLabel = () =>
    locale.startsWith('pt') ? 'Começar' : locale.startsWith('es') ? 'Empezar' : 'Get Started'

  /** The welcome screen of a new user: the Page, its greeting, then ice breakers (they win over Get Started) or the button. */
  function welcomeScreen() {
    const greeting = forLocale(profile.greeting)
    const iceBreakers = profile.ice_breakers
      ? 'call_to_actions' in (profile.ice_breakers[0] || {})
        ? forLocale(profile.ice_breakers)?.call_to_actions
        : profile.ice_breakers
      : undefined
    return h(
      'div',
      { class: 'welcome', id: 'welcome' },
      h('img', { class: 'welcome-avatar', src: '/static/page-avatar.svg', alt: '' }),
      h('div', { class: 'welcome-name' }, page.name),
      h('div', { class: 'muted small' }, 'Typically replies within minutes'),
      greeting ? h('div', { class: 'welcome-greeting' }, personalised(greeting.text)) : null,
      iceBreakers?.length
        ? h(
            'div',
            { class: 'ice-breakers' },
            iceBreakers.map((q) =>
              h(
                'button',
                {
                  class: 'ice-breaker',
                  type: 'button',
                  onClick: () => send({ kind: 'postback', title: q.question, payload: String(q.payload) }),
                },
                q.question
              )
            )
          )
        : h(
            'button',
            {
              id: 'get-started',
              class: 'get-started',
              type: 'button',
              onClick: () =>
                send({ kind: 'postback', title: getStartedLabel(), payload: String(profile.get_started.payload) }),
            },
            getStartedLabel()
          )
    )
  }

  /** The persistent menu (Meta shows it only with a Get Started button set): postbacks are sent, URLs opened. */
  function renderMenu() {
    const menu = profile.get_started ? forLocale(profile.persistent_menu) : undefined
    const items = (menu && menu.call_to_actions) || []
    $('menu-button').hidden = !items.length
    if (!items.length) $('menu-panel').hidden = true
    fill(
      $('menu-panel'),
      h(
        'div',
        { class: 'menu-title muted small' },
        `Menu · ${menu && menu.locale !== 'default' ? menu.locale : 'default locale'}`
      ),
      items.map((a) =>
        a.type === 'web_url'
          ? h(
              'a',
              {
                class: 'menu-item',
                role: 'menuitem',
                href: a.url,
                target: '_blank',
                rel: 'noreferrer',
                onClick: () => toggleMenu(false),
              },
              a.title,
              h('span', { class: 'muted small' }, ' ↗')
            )
          : h(
              'button',
              {
                class: 'menu-item',
                role: 'menuitem',
                type: 'button',
                onClick: () => (
                  toggleMenu(false),
                  send({ kind: 'postback', title: a.title, payload: String(a.payload) })
                ),
              },
              a.title
            )
      )
    )
  }

  function toggleMenu(open) {
    const panel = $('menu-panel')
    panel.hidden = open === undefined ? !panel.hidden : !open
    $('menu-button').setAttribute('aria-expanded', String(!panel.hidden))
  }

  // ---------------------------------------------------------------- the user's messages

  function userMessage(item) {
    const input = item.input
    let content
    if (input.kind === 'text') content = h('div', { class: 'bubble' }, linkified(input.text))
    else if (input.kind === 'quick_reply')
      content = h('div', { class: 'bubble', title: `quick reply, payload ${input.payload}` }, input.title)
    else if (input.kind === 'postback')
      content = h('div', { class: 'bubble postback', title: `button, payload ${input.payload}` }, input.title)
    else if (input.kind === 'sticker')
      content = h('img', { class: 'sticker', src: input.url, alt: 'sticker', title: `sticker ${input.stickerId}` })
    else if (input.kind === 'location') content = locationCard(input)
    else content = attachment(input.type, input.url, input.name)
    return h(
      'div',
      { class: 'msg user', 'data-mid': item.mid, title: new Date(item.at).toLocaleString() },
      h('div', { class: 'msg-body' }, content, delivery(item.webhook))
    )
  }

  function locationCard(input) {
    const maps = `https://www.google.com/maps/search/?api=1&query=${input.latitude},${input.longitude}`
    return h(
      'a',
      { class: 'location', href: maps, target: '_blank', rel: 'noreferrer' },
      h('div', { class: 'location-map' }, pinIcon()),
      h(
        'div',
        { class: 'location-text' },
        h('div', { class: 'card-title' }, input.title),
        h('div', { class: 'muted small' }, `${input.latitude.toFixed(4)}, ${input.longitude.toFixed(4)}`)
      )
    )
  }

  function delivery(webhook) {
    if (!webhook) return h('div', { class: 'caption muted' }, 'Sending…')
    if (webhook.status === 200) return null
    const why = webhook.status ? `the webhook answered ${webhook.status}` : 'the webhook did not answer'
    return h(
      'div',
      { class: 'caption error-text' },
      `Not delivered: ${why}${webhook.body ? ` — ${webhook.body.slice(0, 160)}` : ''}`
    )
  }

  // ---------------------------------------------------------------- the Page's messages (Send API objects)

  function pageMessage(item, next) {
    const lastOfGroup = !next || next.from !== 'page'
    const m = item.message
    const parts = []
    if (m.text !== undefined) parts.push(h('div', { class: 'bubble' }, linkified(m.text)))
    if (m.attachment) parts.push(pageAttachment(m.attachment))
    if (m.attachments)
      parts.push(
        h(
          'div',
          { class: 'gallery' },
          m.attachments.map((a) => h('img', { src: a.payload.url, alt: '' }))
        )
      )
    if (item.tag) parts.push(h('div', { class: 'caption muted' }, `Sent with the ${item.tag} tag`))
    if (item.reaction)
      parts.push(
        h(
          'button',
          {
            class: 'reaction-badge',
            type: 'button',
            title: 'Tap to remove your reaction',
            onClick: () => react(item.mid, ''),
          },
          item.reaction
        )
      )
    return h(
      'div',
      { class: 'msg page', 'data-mid': item.mid, title: new Date(item.at).toLocaleString() },
      h(
        'div',
        { class: 'avatar-slot' },
        lastOfGroup ? h('img', { class: 'avatar tiny', src: '/static/page-avatar.svg', alt: '' }) : null
      ),
      h('div', { class: 'msg-body' }, parts),
      reactionPicker(item)
    )
  }

  /** Hovering a Page message shows Messenger's reaction bar; a tap sends message_reactions. */
  function reactionPicker(item) {
    return h(
      'div',
      { class: 'react' },
      h('button', { class: 'react-open', type: 'button', title: 'React', 'aria-label': 'React' }, '☺'),
      h(
        'div',
        { class: 'react-bar' },
        REACTIONS.map((e) =>
          h(
            'button',
            {
              class: 'react-emoji',
              type: 'button',
              'data-emoji': e,
              onClick: () => react(item.mid, item.reaction === e ? '' : e),
            },
            e
          )
        )
      )
    )
  }

  async function react(mid, emoji) {
    try {
      await post('/api/messenger/send', { psid, input: { kind: 'reaction', mid, emoji } })
    } catch (err) {
      alert(`Could not react: ${err.message}`)
    }
    refresh()
  }

  function pageAttachment(a) {
    if (a.type !== 'template') return attachment(a.type, a.payload.url ?? '', fileName(a.payload.url))
    const p = a.payload
    if (p.template_type === 'generic') return carousel(p.elements)
    if (p.template_type === 'button')
      return h(
        'div',
        { class: 'button-template' },
        h('div', { class: 'bubble' }, linkified(p.text)),
        p.buttons.map(templateButton)
      )
    return h('div', { class: 'bubble' }, `(${p.template_type} template)`)
  }

  /** Cards side by side, with Messenger's arrows when they overflow. */
  function carousel(elements) {
    const track = h('div', { class: 'carousel' }, elements.map(card))
    const wrap = h('div', { class: 'carousel-wrap' })
    const step = (dir) => track.scrollBy({ left: dir * 248, behavior: 'instant' })
    const prev = h(
      'button',
      { class: 'carousel-arrow prev', type: 'button', 'aria-label': 'Previous card', onClick: () => step(-1) },
      '‹'
    )
    const next = h(
      'button',
      { class: 'carousel-arrow next', type: 'button', 'aria-label': 'Next card', onClick: () => step(1) },
      '›'
    )
    track.addEventListener('scroll', () => updateArrows(wrap))
    wrap.append(prev, track, next)
    return wrap
  }

  function updateArrows(wrap) {
    const track = wrap.querySelector('.carousel')
    const [prev, next] = wrap.querySelectorAll('.carousel-arrow')
    prev.hidden = track.scrollLeft <= 2
    next.hidden = track.scrollLeft + track.clientWidth >= track.scrollWidth - 2
  }

  function card(el) {
    return h(
      'div',
      { class: 'card' },
      el.image_url ? h('img', { src: el.image_url, alt: '' }) : null,
      h(
        'div',
        { class: 'card-text' },
        h('div', { class: 'card-title' }, el.title),
        el.subtitle ? h('div', { class: 'card-subtitle' }, el.subtitle) : null
      ),
      (el.buttons || []).map(templateButton)
    )
  }

  function templateButton(b) {
    if (b.type === 'web_url')
      return h('a', { class: 'card-button', href: b.url, target: '_blank', rel: 'noreferrer' }, b.title)
    return h(
      'button',
      {
        class: 'card-button',
        type: 'button',
        onClick: () => send({ kind: 'postback', title: b.title, payload: String(b.payload) }),
      },
      b.title
    )
  }

  function attachment(type, url, name) {
    if (type === 'image')
      return h(
        'a',
        { href: url, target: '_blank', rel: 'noreferrer' },
        h('img', { class: 'media', src: url, alt: name || 'image' })
      )
    if (type === 'video') return h('video', { class: 'media', src: url, controls: true })
    if (type === 'audio') return h('audio', { src: url, controls: true })
    return h('a', { class: 'file', href: url, target: '_blank', rel: 'noreferrer' }, fileIcon(), name || 'file')
  }

  function pinIcon() {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg')
    svg.setAttribute('viewBox', '0 0 24 24')
    svg.setAttribute('width', '34')
    svg.setAttribute('height', '34')
    svg.setAttribute('class', 'location-pin')
    svg.innerHTML =
      '<path fill="#e41e3f" d="M12 2a7 7 0 0 0-7 7c0 5.2 7 13 7 13s7-7.8 7-13a7 7 0 0 0-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0 0 1 0 5z"/>'
    return svg
  }

  function fileIcon() {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg')
    svg.setAttribute('viewBox', '0 0 24 24')
    svg.setAttribute('width', '16')
    svg.setAttribute('height', '16')
    svg.innerHTML =
      '<path fill="currentColor" d="M6 2h8l6 6v12a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm7 1.5V9h5.5z"/>'
    return h('span', { class: 'file-icon' }, svg)
  }

  const fileName = (url) =>
    decodeURIComponent(
      String(url || '')
        .split('?')[0]
        .split('/')
        .pop() || 'file'
    )

  /** Messenger shows the quick replies of the last message only, until the user answers. */
  function renderQuickReplies(last) {
    const qrs = last && last.from === 'page' ? last.message.quick_replies || [] : []
    fill(
      $('quick-replies'),
      ...qrs.map((qr) =>
        qr.content_type === 'text'
          ? h(
              'button',
              {
                class: 'quick-reply',
                type: 'button',
                onClick: () => send({ kind: 'quick_reply', title: qr.title, payload: String(qr.payload) }),
              },
              qr.title
            )
          : h(
              'button',
              { class: 'quick-reply', type: 'button', disabled: true, title: 'not emulated' },
              qr.content_type === 'user_email' ? 'Email' : 'Phone'
            )
      )
    )
  }

  // ---------------------------------------------------------------- sending

  async function send(input) {
    fill($('quick-replies'))
    toggleMenu(false)
    try {
      await post('/api/messenger/send', { psid, input })
    } catch (err) {
      alert(`Could not send: ${err.message}`)
    }
    refresh()
  }

  // as on Messenger: Enter sends, Shift+Enter starts a new line
  $('composer-input').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault()
      $('composer').requestSubmit()
    }
  })

  $('composer').addEventListener('submit', (e) => {
    e.preventDefault()
    const text = $('composer-input').value
    if (!text.trim()) return
    $('composer-input').value = ''
    send({ kind: 'text', text })
  })

  $('menu-button').addEventListener('click', () => toggleMenu())
  $('like-button').addEventListener('click', () =>
    send({ kind: 'sticker', stickerId: '369239263222822', url: `${location.origin}/static/messenger.sticker.svg` })
  )
  // the Page's office, as a pinned location (the browser's real position would need a permission prompt)
  $('location-button').addEventListener('click', () =>
    send({ kind: 'location', latitude: -23.5613, longitude: -46.6565, title: 'Av. Paulista, 1578' })
  )

  $('file-input').addEventListener('change', async () => {
    const file = $('file-input').files[0]
    $('file-input').value = ''
    if (!file) return
    const dataBase64 = await new Promise((resolve, reject) => {
      const reader = new FileReader()
      reader.onload = () => resolve(String(reader.result).split(',')[1] || '')
      reader.onerror = () => reject(reader.error)
      reader.readAsDataURL(file)
    })
    try {
      await post('/api/messenger/upload', { psid, name: file.name, type: file.type, dataBase64 })
    } catch (err) {
      alert(`Could not send the file: ${err.message}`)
    }
    refresh()
  })

  start().catch((err) => ($('thread').textContent = `Could not load: ${err.message}`))
})()
