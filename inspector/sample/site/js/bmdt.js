// 部门动态: the list is rendered in the browser from a JSON data endpoint
function loadList(url, target, perPage) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url, true);
    xhr.onload = function () {
        var data = JSON.parse(xhr.responseText), html = "";
        for (var i = 0; i < data.items.length && i < perPage; i++) {
            var it = data.items[i];
            html += '<li><a href="' + it.url + '" target="_blank">' + it.title + '</a><span>' + it.date + '</span></li>';
        }
        document.querySelector(target).innerHTML = html;
    };
    xhr.send();
}
