package dev.piccolo.engine.autoconfigure.web;

import java.io.IOException;

import dev.piccolo.engine.ConsistencyToken;
import dev.piccolo.engine.ReadYourWrites;
import dev.piccolo.engine.autoconfigure.PiccoloDbProperties;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * Makes each HTTP client a causal session of read-your-writes: a request runs in a session opened from
 * the client's token, and a write in it hands the client the new token before the response is sent, as
 * a cookie (so a browser following the redirect after a form post carries it) and as a response header
 * (for API clients, which send it back in the same header). The token is untrusted input: text that is
 * not a token is ignored, as is one of another cluster, and the engine clamps one further than the
 * primary has been. The cookie is the application's own: its name, path (the context path unless set),
 * domain and attributes come from {@code piccolo.db.read-your-writes.cookie.*}.
 */
final class ConsistencyTokenFilter implements Filter {

    /** The header an API client sends the token in, and the response header it reads it from. */
    static final String HEADER = ReadYourWrites.HEADER;

    private final ReadYourWrites readYourWrites;

    private final PiccoloDbProperties.Cookie cookie;

    ConsistencyTokenFilter(ReadYourWrites readYourWrites, PiccoloDbProperties.Cookie cookie) {
        this.readYourWrites = readYourWrites;
        this.cookie = cookie;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse httpResponse)) {
            chain.doFilter(request, response);
            return;
        }
        try (ReadYourWrites.Session session = readYourWrites.open(tokenOf(http),
                written -> handOver(written, http, httpResponse))) {
            chain.doFilter(request, response);
        }
    }

    private @Nullable ConsistencyToken tokenOf(HttpServletRequest request) {
        String header = request.getHeader(HEADER);
        if (header != null) {
            return ConsistencyToken.parse(header);
        }
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (this.cookie.getName().equals(cookie.getName())) {
                    return ConsistencyToken.parse(cookie.getValue());
                }
            }
        }
        return null;
    }

    /** Once the response is committed its headers are sent: a write that late reaches no client. */
    private void handOver(ConsistencyToken written, HttpServletRequest request, HttpServletResponse response) {
        if (response.isCommitted()) {
            return;
        }
        response.setHeader(HEADER, written.toString());
        Cookie sent = new Cookie(cookie.getName(), written.toString());
        String path = cookie.getPath() != null ? cookie.getPath() : request.getContextPath();
        sent.setPath(path.isEmpty() ? "/" : path);
        if (cookie.getDomain() != null) {
            sent.setDomain(cookie.getDomain());
        }
        sent.setHttpOnly(true);
        sent.setSecure(cookie.getSecure() != null ? cookie.getSecure() : request.isSecure());
        sent.setAttribute("SameSite", cookie.getSameSite());
        response.addCookie(sent);
    }
}
