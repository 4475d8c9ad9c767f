// TRS WCM pager: pages are index.html, index_1.html ... index_{N-1}.html
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
    if (_nPageCount == null || _nPageCount <= 1) { return; }
    var nCurrIndex = _nCurrIndex || 0;
    function pageUrl(i) { return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; }
    document.write("共" + _nPageCount + "页&nbsp;");
    if (nCurrIndex == 0) { document.write("首页&nbsp;上一页&nbsp;"); }
    else {
        document.write("<a href=\"" + pageUrl(0) + "\">首页</a>&nbsp;");
        document.write("<a href=\"" + pageUrl(nCurrIndex - 1) + "\">上一页</a>&nbsp;");
    }
    if (nCurrIndex == _nPageCount - 1) { document.write("下一页&nbsp;尾页"); }
    else {
        document.write("<a href=\"" + pageUrl(nCurrIndex + 1) + "\">下一页</a>&nbsp;");
        document.write("<a href=\"" + pageUrl(_nPageCount - 1) + "\">尾页</a>");
    }
}
function SetHome(obj) { try { obj.style.behavior = "url(#default#homepage)"; obj.setHomePage(location.href); } catch (e) {} }
function AddFavorite() { alert("请按 Ctrl+D 收藏本站"); }
function doZoom(size) { var el = document.querySelector(".TRS_Editor"); if (el) el.style.fontSize = size + "px"; }
