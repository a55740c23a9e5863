package dev.piccolo.sample;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** HTTP endpoints that show the routing: writes on the primary, reads on the replica. */
@RestController
class ItemController {

    private final ItemService items;

    ItemController(ItemService items) {
        this.items = items;
    }

    @PostMapping("/items")
    @ResponseStatus(HttpStatus.CREATED)
    Item create(@RequestBody NewItem item) {
        return items.create(item.name());
    }

    @GetMapping("/items")
    List<Item> list() {
        return items.list();
    }

    @GetMapping("/served-by/read")
    ServedBy servedByRead() {
        return items.servedByRead();
    }

    @GetMapping("/served-by/write")
    ServedBy servedByWrite() {
        return items.servedByWrite();
    }

    /**
     * The body of {@code POST /items}.
     *
     * @param name the item's name
     */
    record NewItem(String name) {
    }
}
