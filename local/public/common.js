// Shared by the pages: DOM building without innerHTML (texts come from users and analysts), JSON calls.
;(function () {
  function h(tag, props, ...children) {
    const el = document.createElement(tag)
    for (const [k, v] of Object.entries(props || {})) {
      if (v === undefined || v === null || v === false) continue
      if (k.startsWith('on')) el.addEventListener(k.slice(2).toLowerCase(), v)
      else if (k === 'class') el.className = v
      else if (k === 'text') el.textContent = v
      else el.setAttribute(k, v === true ? '' : String(v))
    }
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue
      el.append(child instanceof Node ? child : document.createTextNode(String(child)))
    }
    return el
  }

  /** Replaces an element's children; arrays are flattened and empty values skipped, as in h(). */
  function fill(el, ...children) {
    el.replaceChildren(...children.flat(Infinity).filter((c) => c !== undefined && c !== null && c !== false))
    return el
  }

  async function answer(res) {
    const body = await res.json().catch(() => ({}))
    if (!res.ok) throw new Error(body.error || `${res.status} ${res.statusText}`)
    return body
  }

  const api = (path) => fetch(path, { cache: 'no-store' }).then(answer)
  const post = (path, body) =>
    fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
      answer
    )

  /** Text with its links clickable, as Messenger and 4biz show them. */
  function linkified(text) {
    const parts = String(text).split(/(https?:\/\/[^\s]+)/g)
    return parts.map((p, i) => (i % 2 ? h('a', { href: p, target: '_blank', rel: 'noreferrer' }, p) : p))
  }

  const time = (value) => {
    const d = new Date(value)
    return isNaN(d) ? String(value ?? '') : d.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })
  }

  /** Calls `tick` now and every `ms`, one call at a time. */
  function poll(tick, ms) {
    let busy = false
    const run = async () => {
      if (busy) return
      busy = true
      try {
        await tick()
      } catch (err) {
        console.warn(err)
      } finally {
        busy = false
      }
    }
    run()
    setInterval(run, ms)
    return run
  }

  window.ui = { h, fill, api, post, linkified, time, poll }
})()
